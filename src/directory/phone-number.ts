// Caller-ID and directory number normalisation for caller-name resolution (spec §5): strip formatting,
// the tel:/sip: schemes, `;ext=` and `;phone-context=`; keep a leading `+` (E.164 is compared in full).

import type { UMDialPlan } from '../config/index.js';
import { sipUriKey } from '../config/index.js';

/** A caller identity as signalling presented it, reduced to what caller-ID matching compares. */
export interface ParsedCaller {
  /** No identity at all: null, empty, `anonymous`, or `sip:anonymous@anonymous.invalid` (RFC 3323). */
  anonymous: boolean;
  /** `user@host` in lower case without scheme and parameters, when the caller is a SIP URI. */
  sipUri?: string;
  /** Digits with a leading `+` when the number was international, when the user part is a number. */
  number?: string;
}

/** The dial plan properties that say how a number is written in that plan. */
export type NumberingContext = Pick<UMDialPlan, 'CountryOrRegionCode' | 'NationalNumberPrefix' | 'NumberOfDigitsInExtension' | 'NumberingPlanFormats'>;

/** The forms of one caller number to try against one dial plan's directory entries (spec §5). */
export interface NumberForms {
  /** The number as received, when it was not international (an extension, a national number…). */
  raw?: string;
  /** The international form `+<country code><national number>`, when known. */
  e164?: string;
  /** NationalNumberPrefix + national number, when the country code equals the dial plan's. */
  national?: string;
  /** The last NumberOfDigitsInExtension digits, when a NumberingPlanFormats mask maps the number. */
  extension?: string;
  /** The NumberingPlanFormats mask that mapped the number to `extension`. */
  extensionMask?: string;
}

const ANONYMOUS_WORDS = new Set(['anonymous', 'restricted', 'unavailable', 'unknown', 'private']);
const FORMATTING = /[\s().\-/]/g;
const NUMBER_TEXT = /^\+?[\d\s().\-/]*\d[\d\s().\-/]*$/;

/** Removes a display name and angle brackets (`"Kim" <sip:kim@contoso.com>;tag=1`) and the URI headers. */
function bareUri(text: string): string {
  const open = text.indexOf('<');
  const close = text.indexOf('>', open + 1);
  const inner = open >= 0 && close > open ? text.slice(open + 1, close) : text;
  return inner.split('?')[0]!.trim();
}

/**
 * A number written as a directory attribute or a caller ID, reduced to digits with an optional leading
 * `+`; undefined when the text is not a number (a SIP URI with a name, words).
 */
export function normalizePhoneNumber(text: string): string | undefined {
  // Parameters (`;ext=`, `;phone-context=`, `;user=phone`) end the number in both tel: and sip: users.
  const withoutScheme = bareUri(text).replace(/^(tel|sips?):/i, '');
  const user = withoutScheme.split('@')[0]!.split(';')[0]!.trim();
  if (!NUMBER_TEXT.test(user)) return undefined;
  return user.replace(FORMATTING, '');
}

/** Parses a caller identity: E.164 or other digits, `tel:` and `sip:` URIs, `user@host`, or null. */
export function parseCallerIdentity(caller: string | null | undefined): ParsedCaller {
  const text = caller === null || caller === undefined ? '' : bareUri(caller);
  if (text === '' || ANONYMOUS_WORDS.has(text.toLowerCase())) return { anonymous: true };
  const isTel = /^tel:/i.test(text);
  const withoutScheme = text.replace(/^(tel|sips?):/i, '');
  const number = normalizePhoneNumber(text);
  const out: ParsedCaller = { anonymous: false };
  // A bare word is kept as a host-less URI: it can match nothing, but it is what the caller showed.
  if (!isTel && (withoutScheme.includes('@') || number === undefined)) {
    const key = sipUriKey(withoutScheme);
    if (key.endsWith('@anonymous.invalid')) return { anonymous: true };
    out.sipUri = key;
  }
  if (number !== undefined) out.number = number;
  if (out.sipUri === undefined && out.number === undefined) return { anonymous: true };
  return out;
}

/**
 * Whether a NumberingPlanFormats mask matches a number: digits and `+` literal, x/X one digit, a
 * trailing `*` any remaining digits.
 */
export function numberMaskMatches(mask: string, number: string): boolean {
  const star = mask.endsWith('*');
  const fixed = star ? mask.slice(0, -1) : mask;
  if (star ? number.length < fixed.length : number.length !== fixed.length) return false;
  for (let i = 0; i < fixed.length; i++) {
    const m = fixed[i]!;
    const c = number[i]!;
    if (m === 'x' || m === 'X') {
      if (c < '0' || c > '9') return false;
    } else if (m !== c) {
      return false;
    }
  }
  return true;
}

/**
 * The international form of a number in a dial plan: as is when it starts with `+`; a number that starts
 * with the dial plan's NationalNumberPrefix and is longer than an extension is national, so
 * `+<CountryOrRegionCode>` replaces the prefix; anything else (extensions, unknown forms) has none.
 */
export function toE164(number: string, plan: NumberingContext): string | undefined {
  if (number.startsWith('+')) return number;
  const cc = plan.CountryOrRegionCode;
  const prefix = plan.NationalNumberPrefix;
  if (cc === undefined || prefix === undefined) return undefined;
  if (number.length <= plan.NumberOfDigitsInExtension || !number.startsWith(prefix)) return undefined;
  return `+${cc}${number.slice(prefix.length)}`;
}

/**
 * The forms of a caller number to try in a dial plan (spec §5). `e164` is the caller's international
 * form as the receiving dial plan understood it; the national form and the extension suffix are tried
 * only when the country code equals this plan's, the suffix only when NumberingPlanFormats maps the
 * full number (masks starting with `+` are matched against the E.164 form, others against the national
 * form or the number as received).
 */
export function numberForms(number: string, e164: string | undefined, plan: NumberingContext): NumberForms {
  const forms: NumberForms = {};
  if (!number.startsWith('+')) forms.raw = number;
  if (e164 !== undefined) forms.e164 = e164;
  const cc = plan.CountryOrRegionCode;
  const sameCountry = e164 !== undefined && cc !== undefined && e164.startsWith(`+${cc}`);
  if (sameCountry) forms.national = `${plan.NationalNumberPrefix ?? ''}${e164.slice(1 + cc.length)}`;
  if (e164 !== undefined && !sameCountry) return forms;
  for (const mask of plan.NumberingPlanFormats) {
    const candidates = mask.startsWith('+') ? [forms.e164] : [forms.national, forms.raw];
    if (candidates.some((c) => c !== undefined && numberMaskMatches(mask, c))) {
      forms.extension = number.slice(-plan.NumberOfDigitsInExtension);
      forms.extensionMask = mask;
      break;
    }
  }
  return forms;
}
