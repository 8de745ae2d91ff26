// From what the user typed to the string the rules match: spec §2.3 steps 1–7.

import { InvalidDialPlanError } from './errors.js';
import { digitsOnly } from './number-mask.js';
import type { DialingRulesSource, SubscriberLookup, TraceStep } from './types.js';

/** A dial plan's dial codes and extension length, checked; an empty string means "no code". */
export interface DialCodes {
  readonly dialPlanName: string;
  readonly extensionLength: number;
  /** OutsideLineAccessCode (OLAC). */
  readonly olac: string;
  /** InternationalAccessCode (IAC). */
  readonly iac: string;
  /** NationalNumberPrefix (NNP). */
  readonly nnp: string;
  /** CountryOrRegionCode (CC). */
  readonly cc: string;
}

/** What §2.3 made of a dial string. */
export type DialClassification =
  | { kind: 'not-dialable'; why: 'empty' | 'no-digits' }
  /** Step 1: a SIP URI that is a UM user's SIPResourceIdentifier — an extension call (§2.2). */
  | { kind: 'sip-user'; uri: string; dialPlanName: string; extension: string | undefined }
  /** Step 1: any other SIP URI; goes out unchanged if an allowed in-country entry has mask `*`. */
  | { kind: 'sip'; uri: string }
  /** Step 3: as many digits as an extension. */
  | { kind: 'extension'; digits: string }
  /** Steps 2, 4–7: a number for the rules, with its dialable (prefixed) form. */
  | { kind: 'national' | 'international'; digits: string; dialable: string };

const DIGITS = /^[0-9]*$/;

/** Reads and checks the dial codes of a dial plan; throws `InvalidDialPlanError` for non-digit codes or a bad extension length. */
export function resolveDialCodes(dialPlan: DialingRulesSource): DialCodes {
  const code = (property: 'OutsideLineAccessCode' | 'InternationalAccessCode' | 'NationalNumberPrefix' | 'CountryOrRegionCode'): string => {
    const value = dialPlan[property] ?? '';
    if (!DIGITS.test(value)) throw new InvalidDialPlanError(dialPlan.Name, property, `must be digits only, got "${value}"`);
    return value;
  };
  const extensionLength = dialPlan.NumberOfDigitsInExtension;
  if (!Number.isInteger(extensionLength) || extensionLength < 1 || extensionLength > 20) {
    throw new InvalidDialPlanError(dialPlan.Name, 'NumberOfDigitsInExtension', `must be an integer from 1 to 20, got ${String(extensionLength)}`);
  }
  return {
    dialPlanName: dialPlan.Name,
    extensionLength,
    olac: code('OutsideLineAccessCode'),
    iac: code('InternationalAccessCode'),
    nnp: code('NationalNumberPrefix'),
    cc: code('CountryOrRegionCode'),
  };
}

/** A dial string's surface: S (its digits, §2.3), whether it is E.164 or a SIP URI. */
export interface DialStringInput {
  /** Without surrounding white space. */
  trimmed: string;
  sipUri: boolean;
  /** Began with `+` (after an optional `tel:` scheme). */
  e164: boolean;
  /** Every character but the digits removed; empty for SIP URIs. */
  digits: string;
}

/** Reads the surface facts §2.3 starts from; a `tel:` scheme is ignored so `tel:+44…` counts as E.164. */
export function readDialString(dialString: string): DialStringInput {
  const trimmed = dialString.trim();
  if (isSipUri(trimmed)) return { trimmed, sipUri: true, e164: false, digits: '' };
  const number = /^tel:/i.test(trimmed) ? trimmed.slice(4).trimStart() : trimmed;
  return { trimmed, sipUri: false, e164: number.startsWith('+'), digits: digitsOnly(number) };
}

/** An empty code never matches as a prefix (§2.3). */
function startsWithCode(s: string, code: string): boolean {
  return code.length > 0 && s.startsWith(code);
}

/** Is this dial string a SIP URI (§2.3: contains `@` or starts with `sip:`; `sips:` too)? */
export function isSipUri(dialString: string): boolean {
  return dialString.includes('@') || /^\s*sips?:/i.test(dialString);
}

/** The form SIP URIs are compared in: no display name or brackets, no scheme, no params or headers, lower case. */
export function normalizeSipUri(uri: string): string {
  let s = uri.trim();
  const open = s.indexOf('<');
  const close = s.indexOf('>', open + 1);
  if (open >= 0 && close > open) s = s.slice(open + 1, close);
  s = s.replace(/^sips?:/i, '');
  const cut = s.search(/[;?]/);
  if (cut >= 0) s = s.slice(0, cut);
  return s.toLowerCase();
}

/**
 * Classifies and prefixes one dial string (§2.3 steps 1–7), pushing each decision onto `trace` when
 * given. Step 2 names its own category (national with CC, else international); steps 4–6 leave it to
 * step 7.
 */
export function classify(dialString: string, codes: DialCodes, subscribers: SubscriberLookup, trace?: TraceStep[]): DialClassification {
  const input = readDialString(dialString);
  if (input.sipUri) return classifySipUri(input.trimmed, subscribers, trace);

  const s = input.digits;
  if (s.length === 0) {
    const why = input.trimmed.length === 0 ? 'empty' : 'no-digits';
    trace?.push({ kind: 'not-dialable', why });
    return { kind: 'not-dialable', why };
  }

  if (input.e164) {
    if (startsWithCode(s, codes.cc)) {
      const dialable = codes.olac + codes.nnp + s.slice(codes.cc.length);
      trace?.push({ kind: 'prefix', step: 2, rule: 'e164-national', dialable });
      trace?.push({ kind: 'category', step: 2, rule: 'e164-national', category: 'national' });
      return { kind: 'national', digits: s, dialable };
    }
    const dialable = codes.olac + codes.iac + s;
    trace?.push({ kind: 'prefix', step: 2, rule: 'e164-international', dialable });
    trace?.push({ kind: 'category', step: 2, rule: 'e164-international', category: 'international' });
    return { kind: 'international', digits: s, dialable };
  }

  if (s.length === codes.extensionLength) {
    trace?.push({ kind: 'category', step: 3, rule: 'extension-length', category: 'extension' });
    return { kind: 'extension', digits: s };
  }

  let dialable: string;
  if (startsWithCode(s, codes.olac)) {
    dialable = s;
    trace?.push({ kind: 'prefix', step: 4, rule: 'outside-line-dialled', dialable });
  } else if (startsWithCode(s, codes.iac)) {
    dialable = codes.olac + s;
    trace?.push({ kind: 'prefix', step: 5, rule: 'international-access-code-dialled', dialable });
  } else if (startsWithCode(s, codes.nnp)) {
    dialable = codes.olac + s;
    trace?.push({ kind: 'prefix', step: 5, rule: 'national-prefix-dialled', dialable });
  } else {
    dialable = codes.olac + codes.nnp + s;
    trace?.push({ kind: 'prefix', step: 6, rule: 'national-without-prefix', dialable });
  }
  // Step 7 with an empty IAC: "an empty code never matches", so nothing but E.164 is international.
  const international = codes.iac.length > 0 && dialable.startsWith(codes.olac + codes.iac);
  trace?.push({ kind: 'category', step: 7, rule: international ? 'starts-with-olac-iac' : 'not-international', category: international ? 'international' : 'national' });
  return { kind: international ? 'international' : 'national', digits: s, dialable };
}

function classifySipUri(uri: string, subscribers: SubscriberLookup, trace: TraceStep[] | undefined): DialClassification {
  const user = subscribers.findBySipUri(normalizeSipUri(uri));
  if (user === undefined) {
    trace?.push({ kind: 'sip-user', uri, found: false });
    trace?.push({ kind: 'category', step: 1, rule: 'sip-uri-not-user', category: 'sip' });
    return { kind: 'sip', uri };
  }
  if (trace !== undefined) {
    const step: TraceStep = { kind: 'sip-user', uri, found: true, dialPlanName: user.dialPlanName };
    if (user.extension !== undefined) step.extension = user.extension;
    trace.push(step);
    trace.push({ kind: 'category', step: 1, rule: 'sip-uri-of-user', category: 'extension' });
  }
  return { kind: 'sip-user', uri, dialPlanName: user.dialPlanName, extension: user.extension };
}

/** Classifies a dial string against a dial plan's codes (§2.3); a convenience over `resolveDialCodes` + `classify`. */
export function classifyDialString(dialString: string, dialPlan: DialingRulesSource, subscribers: SubscriberLookup): DialClassification {
  return classify(dialString, resolveDialCodes(dialPlan), subscribers);
}
