import type { NotificationCaller } from './notification-types.js';

/**
 * **Decision:** what a notification calls an anonymous caller (no caller ID), in the subject, the body
 * and the attachment name. Exchange shows its own localised text; openum uses this fixed English one.
 */
export const UNKNOWN_CALLER_LABEL = 'Unknown caller';

/** How a caller appears in a notification: all derived from one NotificationCaller. */
export interface CallerPresentation {
  /** What identified the caller. */
  kind: 'number' | 'sip' | 'anonymous';
  /** Name, else number, else SIP address without `sip:`, else UNKNOWN_CALLER_LABEL. */
  label: string;
  /** The resolved name, cleaned of control characters; undefined when none. */
  name: string | undefined;
  /** `X-CallingTelephoneNumber`: the E.164 number or the full SIP URI; undefined for anonymous. */
  address: string | undefined;
  /** The address as shown beside a link (no `sip:` scheme); undefined for anonymous. */
  shownAddress: string | undefined;
  /** Click-to-dial link: `tel:+E164` or `sip:…`; undefined for anonymous. */
  dialLink: string | undefined;
}

// Header values and file names must never carry CR/LF or other controls from a directory name.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Collapses control characters and runs of white space; undefined when nothing is left. */
export function cleanText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const cleaned = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Derives label, header value and link for a caller (pure). */
export function presentCaller(caller: NotificationCaller): CallerPresentation {
  const name = cleanText(caller.name);
  const id = cleanText(caller.id ?? undefined)?.replace(/\s/g, '');
  if (id === undefined) {
    return { kind: 'anonymous', label: name ?? UNKNOWN_CALLER_LABEL, name, address: undefined, shownAddress: undefined, dialLink: undefined };
  }
  if (caller.isNumber) {
    const number = id.replace(/^tel:/i, '');
    // RFC 3966: visual separators are allowed in tel: URIs but some dialers choke on them.
    const dialable = number.replace(/[-.()]/g, '');
    return { kind: 'number', label: name ?? number, name, address: number, shownAddress: number, dialLink: `tel:${dialable}` };
  }
  const uri = /^sips?:/i.test(id) ? id : `sip:${id}`;
  const shown = uri.replace(/^sips?:/i, '');
  return { kind: 'sip', label: name ?? shown, name, address: uri, shownAddress: shown, dialLink: uri };
}
