// Caller-ID → name resolution (spec §5): Exchange 2010's order, stopping at the first match. A pure
// decision over the Directory; the indexes it needs are built once per Directory and kept in a WeakMap.

import type { Contact, PersonalContact, UMDialPlan, UMMailbox } from '../config/index.js';
import { sipUriKey } from '../config/index.js';
import type { Directory } from './directory.js';
import type { ParsedCaller, NumberForms } from './phone-number.js';
import { normalizePhoneNumber, numberForms, parseCallerIdentity, toE164 } from './phone-number.js';

/** The steps of spec §5 by number: 0 is the SIP-URI pre-check, 7 is "no match". */
export const CALLER_NAME_STEPS = [
  'sip-resource-identifier',
  'eum-current-dial-plan',
  'eum-other-dial-plans',
  'calling-line-ids',
  'line-uri',
  'directory-phone-attributes',
  'personal-contacts',
  'no-match',
] as const;

/** A step number of spec §5 (0 = SIPResourceIdentifier pre-check, 7 = no match). */
export type CallerNameStep = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The name of a step, as traces and `openum resolve --json` print it. */
export type CallerNameStepName = (typeof CALLER_NAME_STEPS)[number];

/** What caller-ID resolution is asked: who called, which mailbox, in which dial plan. */
export interface CallerNameQuery {
  /** E.164 or other digits, a `tel:` or `sip:` URI, `user@host`; null for an anonymous caller. */
  caller: string | null;
  /** The called user: step 6 consults its PersonalContacts. */
  calledMailbox: UMMailbox;
  /** The dial plan the call arrived in (normally the called mailbox's). */
  dialPlan: UMDialPlan;
}

/** The directory entry and attribute that gave the name. */
export interface CallerNameMatch {
  kind: 'mailbox' | 'contact' | 'personal-contact';
  /** Alias of a mailbox or contact; `<Alias>.PersonalContacts[<index>]` for a personal contact. */
  id: string;
  /** The attribute that matched (`EUM` for a proxy address, `UMCallingLineIds`, `MobilePhone`…). */
  attribute: string;
  /** The attribute's value as configured (for EUM, the derived proxy address). */
  value: string;
}

/** The decision: the name (undefined at step 7), the step that gave it, and why. */
export interface CallerNameResolution {
  name: string | undefined;
  step: CallerNameStep;
  stepName: CallerNameStepName;
  matched?: CallerNameMatch;
  /** What a notification shows: the name, else the caller's number or SIP URI; undefined when anonymous. */
  shown: string | undefined;
  /** One line per step consulted. */
  trace: string[];
}

interface Candidate extends CallerNameMatch {
  name: string;
}

/** Normalised number or SIP URI key → the entries carrying it, in configuration order. */
type Lookup = Map<string, Candidate[]>;

interface PersonalContactsIndex {
  numbers: Lookup;
  sipUris: Lookup;
}

interface CallerNameIndex {
  /** Dial plan name (lower case) → extension or +E.164 → the mailbox whose EUM proxy it is. */
  eum: Map<string, Map<string, Candidate>>;
  callingLineIds: Lookup;
  lineUris: Lookup;
  /** Phone, MobilePhone, HomePhone, OtherTelephone of users and contacts. */
  directoryPhones: Lookup;
  /** SIPResourceIdentifier of contacts (users' are step 0). */
  contactSipUris: Lookup;
  /** Dial plan name (lower case) → the other dial plans in step-2 order. */
  otherDialPlans: Map<string, UMDialPlan[]>;
  personalContacts: WeakMap<UMMailbox, PersonalContactsIndex>;
}

const indexes = new WeakMap<Directory, CallerNameIndex>();
const PHONE_ATTRIBUTES = ['Phone', 'MobilePhone', 'HomePhone'] as const;
const PERSONAL_PHONE_ATTRIBUTES = ['BusinessPhone', 'Phone', 'MobilePhone', 'HomePhone'] as const;

function add(lookup: Lookup, key: string | undefined, candidate: Candidate): void {
  if (key === undefined) return;
  const list = lookup.get(key);
  if (list) list.push(candidate);
  else lookup.set(key, [candidate]);
}

function addPhone(lookup: Lookup, value: string | undefined, make: (value: string) => Candidate): void {
  if (value !== undefined) add(lookup, normalizePhoneNumber(value), make(value));
}

function mailboxCandidate(m: UMMailbox, attribute: string, value: string): Candidate {
  return { kind: 'mailbox', id: m.Alias, name: m.DisplayName, attribute, value };
}

function contactCandidate(c: Contact, attribute: string, value: string): Candidate {
  return { kind: 'contact', id: c.Alias, name: c.DisplayName, attribute, value };
}

function buildIndex(directory: Directory): CallerNameIndex {
  const { UMMailboxes, Contacts } = directory.configuration;
  const index: CallerNameIndex = {
    eum: new Map(), callingLineIds: new Map(), lineUris: new Map(), directoryPhones: new Map(), contactSipUris: new Map(),
    otherDialPlans: new Map(), personalContacts: new WeakMap(),
  };
  for (const m of UMMailboxes) {
    const dialPlan = directory.dialPlanOfMailbox(m);
    if (dialPlan) {
      const proxies = index.eum.get(dialPlan.Name.toLowerCase()) ?? new Map<string, Candidate>();
      index.eum.set(dialPlan.Name.toLowerCase(), proxies);
      const proxy = (address: string) => mailboxCandidate(m, 'EUM', `EUM:${address};phone-context=${dialPlan.PhoneContext}`);
      for (const ext of m.Extensions) if (!proxies.has(ext)) proxies.set(ext, proxy(ext));
      // The SIP URI proxy can never be reached here (step 0 already compared every user's URI); the
      // E.164 one (E164 dial plans: SIPResourceIdentifier is +digits) can.
      const sipNumber = m.SIPResourceIdentifier === undefined ? undefined : normalizePhoneNumber(m.SIPResourceIdentifier);
      if (sipNumber?.startsWith('+') && !proxies.has(sipNumber)) proxies.set(sipNumber, proxy(sipNumber));
    }
    for (const id of m.UMCallingLineIds) addPhone(index.callingLineIds, id, (v) => mailboxCandidate(m, 'UMCallingLineIds', v));
    addPhone(index.lineUris, m.LineURI, (v) => mailboxCandidate(m, 'LineURI', v));
    for (const a of PHONE_ATTRIBUTES) addPhone(index.directoryPhones, m[a], (v) => mailboxCandidate(m, a, v));
    for (const v of m.OtherTelephone) addPhone(index.directoryPhones, v, () => mailboxCandidate(m, 'OtherTelephone', v));
  }
  for (const c of Contacts) {
    for (const a of PHONE_ATTRIBUTES) addPhone(index.directoryPhones, c[a], (v) => contactCandidate(c, a, v));
    for (const v of c.OtherTelephone) addPhone(index.directoryPhones, v, () => contactCandidate(c, 'OtherTelephone', v));
    if (c.SIPResourceIdentifier !== undefined) add(index.contactSipUris, sipUriKey(c.SIPResourceIdentifier), contactCandidate(c, 'SIPResourceIdentifier', c.SIPResourceIdentifier));
  }
  return index;
}

function indexOf(directory: Directory): CallerNameIndex {
  let index = indexes.get(directory);
  if (!index) {
    index = buildIndex(directory);
    indexes.set(directory, index);
  }
  return index;
}

function personalContactsOf(index: CallerNameIndex, mailbox: UMMailbox): PersonalContactsIndex {
  let found = index.personalContacts.get(mailbox);
  if (found) return found;
  found = { numbers: new Map(), sipUris: new Map() };
  mailbox.PersonalContacts.forEach((p: PersonalContact, i) => {
    const make = (attribute: string) => (value: string): Candidate => ({ kind: 'personal-contact', id: `${mailbox.Alias}.PersonalContacts[${i}]`, name: p.DisplayName, attribute, value });
    for (const a of PERSONAL_PHONE_ATTRIBUTES) addPhone(found!.numbers, p[a], make(a));
    for (const v of p.OtherTelephone) addPhone(found!.numbers, v, make('OtherTelephone'));
    if (p.SIP !== undefined) add(found!.sipUris, sipUriKey(p.SIP), make('SIP')(p.SIP));
  });
  index.personalContacts.set(mailbox, found);
  return found;
}

/** Step 2's order: the dial plans named in EquivalentDialPlanPhoneContexts first, then the rest. */
function otherDialPlansOf(directory: Directory, index: CallerNameIndex, current: UMDialPlan): UMDialPlan[] {
  const key = current.Name.toLowerCase();
  const cached = index.otherDialPlans.get(key);
  if (cached) return cached;
  const all = directory.configuration.UMDialPlans.filter((d) => d.Name.toLowerCase() !== key);
  const equivalent: UMDialPlan[] = [];
  for (const context of current.EquivalentDialPlanPhoneContexts) {
    const d = all.find((p) => p.PhoneContext.toLowerCase() === context.toLowerCase());
    if (d && !equivalent.includes(d)) equivalent.push(d);
  }
  const ordered = [...equivalent, ...all.filter((d) => !equivalent.includes(d))];
  index.otherDialPlans.set(key, ordered);
  return ordered;
}

/** The keys to look a number up by, most exact first, without repeats. */
function keysOf(forms: NumberForms): string[] {
  return [...new Set([forms.e164, forms.national, forms.raw].filter((k): k is string => k !== undefined))];
}

function describeForms(forms: NumberForms): string {
  const parts = [
    forms.e164 && `E.164 ${forms.e164}`,
    forms.national && `national ${forms.national}`,
    forms.raw && forms.raw !== forms.national && `as received ${forms.raw}`,
    forms.extension && `extension ${forms.extension} (NumberingPlanFormats ${forms.extensionMask ?? ''})`,
  ].filter(Boolean);
  return parts.join(', ');
}

function describeMatch(c: Candidate, key: string, others: number): string {
  const also = others > 0 ? `; ${others} more entr${others === 1 ? 'y' : 'ies'} carry it, the first in configuration order wins` : '';
  return `${c.kind} ${c.id} "${c.name}": ${c.attribute} ${c.value} matches ${key}${also}`;
}

function firstHit(lookup: Lookup, keys: readonly string[]): { candidate: Candidate; key: string; others: number } | undefined {
  for (const key of keys) {
    const list = lookup.get(key);
    if (list?.[0]) return { candidate: list[0], key, others: list.length - 1 };
  }
  return undefined;
}

/** EUM proxies of one dial plan: the exact forms first, then the extension the number maps to. */
function eumHit(index: CallerNameIndex, dialPlan: UMDialPlan, forms: NumberForms): { candidate: Candidate; key: string } | undefined {
  const proxies = index.eum.get(dialPlan.Name.toLowerCase());
  if (!proxies) return undefined;
  const keys = forms.extension === undefined ? keysOf(forms) : [...keysOf(forms), forms.extension];
  for (const key of keys) {
    const candidate = proxies.get(key);
    if (!candidate) continue;
    const mapped = key === forms.extension && !keysOf(forms).includes(key);
    return { candidate, key: mapped ? `${key} (the last ${key.length} digits: NumberingPlanFormats ${forms.extensionMask ?? ''})` : key };
  }
  return undefined;
}

function shownFor(caller: ParsedCaller): string | undefined {
  if (caller.anonymous) return undefined;
  return caller.number ?? (caller.sipUri === undefined ? undefined : `sip:${caller.sipUri}`);
}

/**
 * Resolves a caller ID to a display name as spec §5: step 0 a SIP URI equal to a user's
 * SIPResourceIdentifier; 1 EUM proxies of the current dial plan; 2 of the other dial plans (equivalent
 * ones first); 3 UMCallingLineIds; 4 LineURI; 5 Phone/MobilePhone/HomePhone/OtherTelephone of users and
 * contacts, only with AllowHeuristicADCallingLineIdResolution; 6 the called user's PersonalContacts;
 * 7 no match. Stops at the first match; the trace says what each step compared.
 */
export function resolveCallerName(directory: Directory, query: CallerNameQuery): CallerNameResolution {
  const index = indexOf(directory);
  const caller = parseCallerIdentity(query.caller);
  const trace: string[] = [];
  const shown = shownFor(caller);
  const line = (step: CallerNameStep, text: string) => trace.push(`step ${step} ${CALLER_NAME_STEPS[step]}: ${text}`);
  const found = (step: CallerNameStep, c: Candidate): CallerNameResolution => ({
    name: c.name, step, stepName: CALLER_NAME_STEPS[step], matched: { kind: c.kind, id: c.id, attribute: c.attribute, value: c.value }, shown: c.name, trace,
  });
  const noMatch = (): CallerNameResolution => {
    line(7, shown === undefined ? 'no name; the caller is anonymous' : `no name; showing ${shown}`);
    return { name: undefined, step: 7, stepName: 'no-match', shown, trace };
  };

  if (caller.anonymous) {
    line(0, 'the caller is anonymous: nothing to look up');
    return noMatch();
  }

  // Step 0: a SIP URI equal to a user's SIPResourceIdentifier.
  if (caller.sipUri === undefined) {
    line(0, 'not a SIP URI; skipped');
  } else {
    const mailbox = directory.findBySipUri(caller.sipUri);
    if (mailbox?.SIPResourceIdentifier !== undefined) {
      line(0, `mailbox ${mailbox.Alias} "${mailbox.DisplayName}": SIPResourceIdentifier ${mailbox.SIPResourceIdentifier} equals sip:${caller.sipUri}`);
      return found(0, mailboxCandidate(mailbox, 'SIPResourceIdentifier', mailbox.SIPResourceIdentifier));
    }
    line(0, `no user has SIPResourceIdentifier sip:${caller.sipUri}`);
  }

  const number = caller.number;
  const e164 = number === undefined ? undefined : toE164(number, query.dialPlan);
  const forms = number === undefined ? undefined : numberForms(number, e164, query.dialPlan);
  const keys = forms === undefined ? [] : keysOf(forms);
  const notNumber = 'not a telephone number; skipped';

  // Steps 1 and 2: EUM proxy addresses, current dial plan, then the others.
  if (number === undefined || forms === undefined) {
    line(1, notNumber);
    line(2, notNumber);
  } else {
    const hit = eumHit(index, query.dialPlan, forms);
    if (hit) {
      line(1, `in ${query.dialPlan.Name} (${query.dialPlan.PhoneContext}): ${describeMatch(hit.candidate, hit.key, 0)}`);
      return found(1, hit.candidate);
    }
    line(1, `in ${query.dialPlan.Name} (${query.dialPlan.PhoneContext}) tried ${describeForms(forms)}: no match`);
    const others = otherDialPlansOf(directory, index, query.dialPlan);
    if (others.length === 0) line(2, 'no other dial plans');
    for (const dialPlan of others) {
      const otherForms = numberForms(number, e164, dialPlan);
      const other = eumHit(index, dialPlan, otherForms);
      const equivalent = query.dialPlan.EquivalentDialPlanPhoneContexts.some((c) => c.toLowerCase() === dialPlan.PhoneContext.toLowerCase());
      const where = `in ${dialPlan.Name} (${dialPlan.PhoneContext}${equivalent ? ', equivalent' : ''})`;
      if (other) {
        line(2, `${where}: ${describeMatch(other.candidate, other.key, 0)}`);
        return found(2, other.candidate);
      }
      line(2, `${where} tried ${describeForms(otherForms)}: no match`);
    }
  }

  // Steps 3 and 4: UMCallingLineIds, LineURI.
  const attributeStep = (step: 3 | 4, lookup: Lookup, what: string): CallerNameResolution | undefined => {
    if (forms === undefined) {
      line(step, notNumber);
      return undefined;
    }
    const hit = firstHit(lookup, keys);
    if (hit) {
      line(step, describeMatch(hit.candidate, hit.key, hit.others));
      return found(step, hit.candidate);
    }
    line(step, `no ${what} equals ${keys.join(' or ')}`);
    return undefined;
  };
  const byLineId = attributeStep(3, index.callingLineIds, 'UMCallingLineIds value');
  if (byLineId) return byLineId;
  const byLineUri = attributeStep(4, index.lineUris, 'LineURI');
  if (byLineUri) return byLineUri;

  // Step 5: the heuristic directory phone attributes (and contacts' SIP URIs), only when allowed.
  if (!query.dialPlan.AllowHeuristicADCallingLineIdResolution) {
    line(5, `skipped: AllowHeuristicADCallingLineIdResolution is false in ${query.dialPlan.Name}`);
  } else {
    const byNumber = forms === undefined ? undefined : firstHit(index.directoryPhones, keys);
    const bySip = byNumber || caller.sipUri === undefined ? undefined : firstHit(index.contactSipUris, [caller.sipUri]);
    const hit = byNumber ?? bySip;
    if (hit) {
      line(5, describeMatch(hit.candidate, hit.key, hit.others));
      return found(5, hit.candidate);
    }
    line(5, `no Phone, MobilePhone, HomePhone, OtherTelephone${caller.sipUri === undefined ? '' : ' or contact SIPResourceIdentifier'} equals ${[...keys, ...(caller.sipUri === undefined ? [] : [`sip:${caller.sipUri}`])].join(' or ')}`);
  }

  // Step 6: the called user's Contacts folder.
  const personal = personalContactsOf(index, query.calledMailbox);
  const byNumber = forms === undefined ? undefined : firstHit(personal.numbers, keys);
  const hit = byNumber ?? (caller.sipUri === undefined ? undefined : firstHit(personal.sipUris, [caller.sipUri]));
  if (hit) {
    line(6, describeMatch(hit.candidate, hit.key, hit.others));
    return found(6, hit.candidate);
  }
  line(6, `none of ${query.calledMailbox.Alias}'s ${query.calledMailbox.PersonalContacts.length} personal contacts matches`);
  return noMatch();
}
