import type { UMAutoAttendant, UMDialPlan, UMMailbox } from '../config/index.js';
import { pilotKey } from '../config/index.js';
import type { Directory } from './directory.js';
import { numberMaskMatches } from './phone-number.js';

/** A SIP or tel address as signalling extracted it from a header. */
export interface CallAddress {
  /** User part (`kim`, `50101`, `+14255550101`); empty for a host-only URI. */
  user: string;
  /** Host part (`contoso.com`); empty for tel: URIs. */
  host: string;
  /** The `phone-context` parameter, if any. */
  phoneContext?: string;
}

/** Who a call is for (spec §3.1), as the call applications need it. */
export type CallTarget =
  | { kind: 'call-answering'; mailbox: UMMailbox; dialPlan: UMDialPlan; via: 'diversion' | 'history-info' | 'request-uri'; divertedFrom?: CallAddress }
  | { kind: 'subscriber-access'; dialPlan: UMDialPlan; mailbox?: UMMailbox }
  | { kind: 'auto-attendant'; autoAttendant: UMAutoAttendant; dialPlan: UMDialPlan };

/** The call-routing question, with everything signalling knows. */
export interface CallTargetQuery {
  requestUri: CallAddress;
  from: CallAddress;
  /** Diversion headers, most recent first. */
  diversions: readonly CallAddress[];
  /** History-Info targets in index order (oldest first), used only without Diversion. */
  historyInfo: readonly CallAddress[];
  /** Names of the dial plans the sending gateway serves, in its order. */
  gatewayDialPlans: readonly string[];
}

const isNumber = (user: string) => /^\+?[\d\-().]+$/.test(user) && /\d/.test(user);

/**
 * Resolves a call's target as spec §3.1: Diversion (most recent first; the first that resolves),
 * else History-Info (the entry before the one that targets UM), else pilot numbers (subscriber access,
 * auto attendants), caller = target (subscriber access), else the Request-URI as a mailbox address.
 * Undefined means 404.
 */
export function resolveCallTarget(directory: Directory, query: CallTargetQuery): CallTarget | undefined {
  for (const d of query.diversions) {
    const hit = directory.findMailboxByAddress(d, query.gatewayDialPlans);
    if (hit) return { kind: 'call-answering', ...hit, via: 'diversion', divertedFrom: d };
  }
  if (query.diversions.length === 0 && query.historyInfo.length > 1) {
    // The last entry targets UM itself; walk back from the one before it.
    for (let i = query.historyInfo.length - 2; i >= 0; i--) {
      const entry = query.historyInfo[i]!;
      const hit = directory.findMailboxByAddress(entry, query.gatewayDialPlans);
      if (hit) return { kind: 'call-answering', ...hit, via: 'history-info', divertedFrom: entry };
    }
  }
  const pilot = directory.findPilot(query.requestUri, query.gatewayDialPlans);
  if (pilot) return pilot;
  const target = directory.findMailboxByAddress(query.requestUri, query.gatewayDialPlans);
  if (!target) return undefined;
  const caller = directory.findMailboxByAddress(query.from, query.gatewayDialPlans);
  if (caller && caller.mailbox === target.mailbox && query.diversions.length === 0) {
    return { kind: 'subscriber-access', dialPlan: target.dialPlan, mailbox: target.mailbox };
  }
  return { kind: 'call-answering', ...target, via: 'request-uri' };
}

/** Pilot lookups and EUM proxy address matching, kept beside the Directory's indexes. */
export function findMailboxByAddress(directory: Directory, address: CallAddress, gatewayDialPlans: readonly string[]): { mailbox: UMMailbox; dialPlan: UMDialPlan } | undefined {
  const candidates = candidateDialPlans(directory, address, gatewayDialPlans);
  if (address.user === '') return undefined;
  if (!isNumber(address.user)) {
    const mailbox = directory.findBySipUri(`${address.user}@${address.host}`);
    const dialPlan = mailbox && directory.dialPlanOfMailbox(mailbox);
    return mailbox && dialPlan && candidates.includes(dialPlan) ? { mailbox, dialPlan } : undefined;
  }
  const digits = address.user.replace(/[^\d+]/g, '');
  for (const dialPlan of candidates) {
    // EUM proxies: the extension in every dial plan, and the +E.164 SIPResourceIdentifier in E164 ones.
    const byExtension = directory.findByExtension(dialPlan.Name, digits.replace(/^\+/, ''));
    if (byExtension) return { mailbox: byExtension, dialPlan };
    const bySip = directory.findBySipUri(digits);
    if (bySip && directory.dialPlanOfMailbox(bySip) === dialPlan) return { mailbox: bySip, dialPlan };
    // The last NumberOfDigitsInExtension digits, when the dial plan's numbering plan maps the number.
    if (dialPlan.NumberingPlanFormats.some((mask) => numberMaskMatches(mask, digits))) {
      const ext = digits.slice(-dialPlan.NumberOfDigitsInExtension);
      const mailbox = directory.findByExtension(dialPlan.Name, ext);
      if (mailbox) return { mailbox, dialPlan };
    }
  }
  return undefined;
}

/** A phone-context selects one dial plan (case-insensitive); otherwise the gateway's, in its order. */
function candidateDialPlans(directory: Directory, address: CallAddress, gatewayDialPlans: readonly string[]): UMDialPlan[] {
  if (address.phoneContext !== undefined) {
    const ctx = address.phoneContext.toLowerCase();
    const hit = directory.configuration.UMDialPlans.find((d) => d.PhoneContext.toLowerCase() === ctx);
    return hit ? [hit] : [];
  }
  return gatewayDialPlans.map((n) => directory.findDialPlan(n)).filter((d): d is UMDialPlan => d !== undefined);
}

/**
 * Subscriber-access and auto-attendant pilot numbers, by pilotKey, within the dial plans the call may
 * reach (the one its phone-context names, else the sending gateway's).
 */
export function findPilot(directory: Directory, address: CallAddress, gatewayDialPlans: readonly string[]): CallTarget | undefined {
  if (!isNumber(address.user)) return undefined;
  const reachable = new Set(candidateDialPlans(directory, address, gatewayDialPlans));
  const key = pilotKey(address.user);
  const bare = key.replace(/^\+/, '');
  const same = (n: string) => {
    const k = pilotKey(n);
    return k === key || k.replace(/^\+/, '') === bare;
  };
  for (const aa of directory.configuration.UMAutoAttendants) {
    if (aa.Status !== 'Enabled' || !aa.PilotIdentifierList.some(same)) continue;
    const dialPlan = directory.findDialPlan(aa.UMDialPlan);
    if (dialPlan && reachable.has(dialPlan)) return { kind: 'auto-attendant', autoAttendant: aa, dialPlan };
  }
  const dialPlan = directory.configuration.UMDialPlans.find((d) => reachable.has(d) && d.AccessTelephoneNumbers.some(same));
  return dialPlan ? { kind: 'subscriber-access', dialPlan } : undefined;
}

