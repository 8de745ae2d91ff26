// The caller ID of a Play on Phone INVITE (spec §8 step 4): the dial plan's
// DefaultOutboundCallingLineId when set, else the user's own extension or SIP URI.
import type { UMDialPlan, UMMailbox } from '../../config/index.js';

/** The From of the INVITE: what the called phone displays. */
export interface PlayOnPhoneCallerId {
  uri: string;
  displayName?: string;
}

/** What the caller ID is chosen from. */
export interface CallerIdSource {
  dialPlan: Pick<UMDialPlan, 'URIType' | 'DefaultOutboundCallingLineId'>;
  mailbox: Pick<UMMailbox, 'Alias' | 'DisplayName' | 'Extensions' | 'SIPResourceIdentifier'>;
  /** Host for number-only caller IDs (Server.Domain). */
  domain: string;
}

/** A configured number (`+1 (425) 555-0100`) as a URI user part: digits, with the leading `+` kept. */
function numberUser(number: string): string {
  const digits = number.replace(/;ext=.*$/i, '').replace(/[^\d]/g, '');
  return number.trim().startsWith('+') ? `+${digits}` : digits;
}

function numberUri(number: string, domain: string): string {
  return `sip:${numberUser(number)}@${domain};user=phone`;
}

function sipUri(uri: string): string {
  return /^sips?:/i.test(uri) ? uri : `sip:${uri}`;
}

/**
 * The caller ID for a user's Play on Phone call. Without a DefaultOutboundCallingLineId, a SipName dial
 * plan presents the user's SIP URI, an E164 one their E.164 number (also their SIPResourceIdentifier),
 * a TelExtn one their first extension; whichever of these the user lacks falls back to the other.
 */
export function callerIdFor(source: CallerIdSource): PlayOnPhoneCallerId {
  const { dialPlan, mailbox, domain } = source;
  if (dialPlan.DefaultOutboundCallingLineId !== undefined && /\d/.test(dialPlan.DefaultOutboundCallingLineId)) {
    return { uri: numberUri(dialPlan.DefaultOutboundCallingLineId, domain) };
  }
  const displayName = mailbox.DisplayName;
  const sri = mailbox.SIPResourceIdentifier;
  const extension = mailbox.Extensions[0];
  if (sri !== undefined && dialPlan.URIType === 'SipName') return { uri: sipUri(sri), displayName };
  if (sri !== undefined && dialPlan.URIType === 'E164' && /^\+?\d+$/.test(sri)) return { uri: numberUri(sri, domain), displayName };
  if (extension !== undefined) return { uri: numberUri(extension, domain), displayName };
  if (sri !== undefined) return { uri: /^\+?\d+$/.test(sri) ? numberUri(sri, domain) : sipUri(sri), displayName };
  // Neither: the user's alias at the domain still tells the called person who is calling.
  return { uri: `sip:${mailbox.Alias}@${domain}`, displayName };
}
