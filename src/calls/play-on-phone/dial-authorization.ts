// Spec §8 step 3: the dial string classified, prefixed and authorised under the user's mailbox policy —
// through the same function as `openum check-dial --scenario play-on-phone`, so both always agree.
import type { DialCategory, DialDecision } from '../../dialing/index.js';
import { readDialString } from '../../dialing/index.js';
import type { Directory } from '../../directory/index.js';
import { authorizeSubjectDial } from '../../directory/index.js';
import { OpenumError } from '../../errors.js';
import { parseUri } from '../../sip/index.js';
import { PlayOnPhoneRefusedError } from './errors.js';

/** An allowed dial: what goes to the gateway, and the decision that allowed it (for logs). */
export interface AuthorizedDial {
  /** The string to send (digits after the winning rule, an extension, or a SIP URI). */
  dialed: string;
  category: DialCategory;
  decision: DialDecision;
}

// RFC 3261 §25.1 user: unreserved, escaped and user-unreserved characters, nothing else.
const SIP_USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;

/** Whether a typed SIP URI (`kim@contoso.com`, `sip:kim@contoso.com`) is one a Request-URI can carry. */
export function isDialableSipUri(text: string): boolean {
  const trimmed = text.trim();
  const uri = /^sips?:/i.test(trimmed) ? trimmed : `sip:${trimmed}`;
  if (uri.split('@').length !== 2) return false;
  // The user part as typed (parseUri would drop a `:password` and let `http://x@y` through as user `http`).
  const user = uri.slice(uri.indexOf(':') + 1, uri.indexOf('@'));
  if (!SIP_USER.test(user)) return false;
  try {
    return parseUri(uri).host.length > 0;
  } catch {
    return false;
  }
}

/**
 * Authorises a Play on Phone dial for a mailbox; throws {@link PlayOnPhoneRefusedError}:
 * `invalid-sip-uri` (malformed SIP URI), `phone-number-not-dialable` (empty, no digits),
 * `invalid-phone-number` (the policy's Allow flags or allowed groups forbid it), `request-failed`
 * (the dial plan's codes are broken — validation normally prevents that).
 */
export function authorizePlayOnPhoneDial(directory: Directory, alias: string, dialString: string): AuthorizedDial {
  if (readDialString(dialString).sipUri && !isDialableSipUri(dialString)) {
    throw new PlayOnPhoneRefusedError('invalid-sip-uri', `"${dialString.slice(0, 100)}" is not a valid SIP URI`);
  }
  let decision: DialDecision;
  try {
    decision = authorizeSubjectDial(directory, directory.dialSubject('play-on-phone', alias), dialString);
  } catch (error) {
    if (!(error instanceof OpenumError)) throw error;
    throw new PlayOnPhoneRefusedError('request-failed', `the dialing rules could not be applied: ${error.message}`, { cause: error });
  }
  if (!decision.allowed || decision.dialed === undefined || decision.category === undefined) {
    const reason = decision.reason ?? 'denied';
    if (reason === 'not-dialable') throw new PlayOnPhoneRefusedError('phone-number-not-dialable', `"${dialString.slice(0, 100)}" cannot be dialed`);
    throw new PlayOnPhoneRefusedError('invalid-phone-number', `the dialing rules do not allow "${dialString.slice(0, 100)}" (${reason})`);
  }
  return { dialed: decision.dialed, category: decision.category, decision };
}
