import type { IncomingCall, SipAddress } from '../sip/index.js';
import { parseAddressHeader } from '../sip/index.js';

/** Who is calling, as a voice message or notification records it. */
export interface CallerIdentity {
  /** E.164 number (`+14255550100`), other digits, or a SIP URI (`kim@contoso.com`); null when anonymous. */
  id: string | null;
  /** Whether `id` is a telephone number (else a SIP URI). */
  isNumber: boolean;
  /** The display name the caller's side sent, if any (caller-ID resolution may find a better one). */
  displayName: string | null;
}

const ANONYMOUS = /^(anonymous|unknown|restricted|unavailable)$/i;

function numberOf(address: SipAddress): string | undefined {
  const user = address.user.replace(/[\s().-]/g, '');
  if (address.params['user'] === 'phone' || address.scheme === 'tel' || /^\+?\d+$/.test(user)) {
    return /^\+?\d+$/.test(user) ? user : undefined;
  }
  return undefined;
}

/**
 * The caller of an INVITE: P-Asserted-Identity when a gateway asserted one (RFC 3325; only configured
 * gateways reach us), else From. `Privacy: id|header|user` and the conventional anonymous From
 * (`anonymous@anonymous.invalid`) hide the caller.
 */
export function callerIdentity(call: IncomingCall): CallerIdentity {
  const privacy = call.header('Privacy').join(',').toLowerCase().split(/[;,\s]+/);
  const asserted = call.header('P-Asserted-Identity').flatMap((v) => parseAddressHeader(v));
  const address = asserted.find((a) => numberOf(a) !== undefined) ?? asserted[0] ?? call.from;
  const displayName = address.displayName && !ANONYMOUS.test(address.displayName) ? address.displayName : null;
  const anonymous = privacy.some((p) => p === 'id' || p === 'header' || p === 'user')
    || ANONYMOUS.test(address.user) || /(^|\.)anonymous\.invalid$/i.test(address.host) || address.user === '';
  if (anonymous) return { id: null, isNumber: false, displayName: null };
  const number = numberOf(address);
  if (number !== undefined) return { id: number, isNumber: true, displayName };
  return { id: `${address.user}@${address.host}`.toLowerCase(), isNumber: false, displayName };
}
