import type { SipBody } from '../facade/facade-types.js';

const DIGITS = '0123456789*#ABCD';

/**
 * The digit a SIP INFO carries: `application/dtmf-relay` (`Signal=5` / `Signal=11` for #, Cisco style)
 * or `application/dtmf` (the bare digit, or an RFC 4733 event number). Undefined when the body is none.
 */
export function parseDtmfInfo(body: SipBody | undefined): string | undefined {
  if (!body) return undefined;
  const type = body.contentType.split(';')[0]!.trim().toLowerCase();
  let signal: string | undefined;
  if (type === 'application/dtmf-relay') {
    signal = /^\s*signal\s*=\s*(\S+)/im.exec(body.content)?.[1];
  } else if (type === 'application/dtmf') {
    signal = body.content.trim();
  } else {
    return undefined;
  }
  if (signal === undefined || signal === '') return undefined;
  const upper = signal.toUpperCase();
  if (upper.length === 1 && DIGITS.includes(upper)) return upper;
  // Event numbers as in RFC 4733: 10 = *, 11 = #, 12-15 = A-D.
  const n = /^\d{1,2}$/.test(signal) ? Number(signal) : -1;
  return n >= 0 && n < DIGITS.length ? DIGITS[n] : undefined;
}
