// Number masks and dialed numbers (spec §1): digits are literal, x/X is one digit, a trailing `*` is
// zero or more digits. Masks match digits-only strings; the dialed number is built from the captures.

import { InvalidDialingRuleError } from './errors.js';
import type { DialingRuleProblem, DialingRuleProblemCode } from './problems.js';

/** Marks a wildcard position in `NumberMask.pattern` (digits are stored as their value 0–9). */
export const ANY_DIGIT = -1;

/** A parsed number mask. */
export interface NumberMask {
  /** The mask as configured. */
  readonly text: string;
  /** Per position before any `*`: the literal digit value 0–9, or `ANY_DIGIT` for x/X. */
  readonly pattern: readonly number[];
  /** Ends in `*`: matches strings of at least `pattern.length` digits rather than exactly. */
  readonly hasStar: boolean;
  /** Positions (0-based) of the x's, in order: where the dialed number's x's take their digits. */
  readonly xPositions: readonly number[];
}

/** A parsed dialed number: literal digits, x (next captured digit) and a trailing `*` (the star capture). */
export interface DialedNumberTemplate {
  /** The dialed number as configured. */
  readonly text: string;
  /** Literal digit runs between the x's: `literals[i]` precedes the i-th x; the last follows all x's. */
  readonly literals: readonly string[];
  /** Number of x's. */
  readonly xCount: number;
  /** Ends in `*`: append the digits the mask's `*` captured. */
  readonly hasStar: boolean;
}

/** Why a mask does or does not match a digits-only string (for traces). */
export type MaskExplanation =
  | { outcome: 'matched' }
  | { outcome: 'wrong-length'; got: number; need: number; atLeast: boolean }
  | { outcome: 'digit-mismatch'; position: number; expected: string; got: string };

const STAR = 42;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const LOWER_X = 120;
const UPPER_X = 88;

const CODES: Record<'NumberMask' | 'DialedNumber', { empty: DialingRuleProblemCode; chars: DialingRuleProblemCode; star: DialingRuleProblemCode }> = {
  NumberMask: { empty: 'E_MASK_EMPTY', chars: 'E_MASK_CHARACTERS', star: 'E_MASK_STAR_POSITION' },
  DialedNumber: { empty: 'E_DIALED_EMPTY', chars: 'E_DIALED_CHARACTERS', star: 'E_DIALED_STAR_POSITION' },
};

/** Masks and dialed numbers share one syntax; report every violation in one pass. */
function checkPatternSyntax(text: string, field: 'NumberMask' | 'DialedNumber'): DialingRuleProblem[] {
  const codes = CODES[field];
  if (text.length === 0) {
    return [{ code: codes.empty, severity: 'error', field, message: `${field} is empty` }];
  }
  const problems: DialingRuleProblem[] = [];
  let stars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === STAR) {
      stars++;
      if (i !== text.length - 1 || stars > 1) {
        problems.push({ code: codes.star, severity: 'error', field, message: `${field} "${text}" has * at position ${i + 1}; only one * is allowed, at the end`, got: i + 1, need: text.length, position: i + 1 });
      }
    } else if (!((c >= DIGIT_0 && c <= DIGIT_9) || c === LOWER_X || c === UPPER_X)) {
      problems.push({ code: codes.chars, severity: 'error', field, message: `${field} "${text}" has illegal character ${JSON.stringify(text[i])} at position ${i + 1}`, got: text[i], position: i + 1 });
    }
  }
  return problems;
}

/** Syntax problems of a number mask (empty, illegal characters, misplaced `*`); empty when valid. */
export function checkNumberMask(text: string): DialingRuleProblem[] {
  return checkPatternSyntax(text, 'NumberMask');
}

/** Syntax problems of a dialed number taken on its own; empty when valid. */
export function checkDialedNumber(text: string): DialingRuleProblem[] {
  return checkPatternSyntax(text, 'DialedNumber');
}

/** Parses a number mask; throws `InvalidDialingRuleError` when it is not valid. */
export function parseNumberMask(text: string): NumberMask {
  const problems = checkNumberMask(text);
  if (problems.length > 0) throw new InvalidDialingRuleError(`NumberMask "${text}"`, problems);
  const hasStar = text.endsWith('*');
  const fixed = hasStar ? text.length - 1 : text.length;
  const pattern: number[] = [];
  const xPositions: number[] = [];
  for (let i = 0; i < fixed; i++) {
    const c = text.charCodeAt(i);
    if (c === LOWER_X || c === UPPER_X) {
      pattern.push(ANY_DIGIT);
      xPositions.push(i);
    } else {
      pattern.push(c - DIGIT_0);
    }
  }
  return { text, pattern, hasStar, xPositions };
}

/** Parses a dialed number; throws `InvalidDialingRuleError` when it is not valid. */
export function parseDialedNumber(text: string): DialedNumberTemplate {
  const problems = checkDialedNumber(text);
  if (problems.length > 0) throw new InvalidDialingRuleError(`DialedNumber "${text}"`, problems);
  const hasStar = text.endsWith('*');
  const fixed = hasStar ? text.length - 1 : text.length;
  const literals: string[] = [];
  let run = '';
  for (let i = 0; i < fixed; i++) {
    const ch = text[i] as string;
    if (ch === 'x' || ch === 'X') {
      literals.push(run);
      run = '';
    } else {
      run += ch;
    }
  }
  literals.push(run);
  return { text, literals, xCount: literals.length - 1, hasStar };
}

/** Does the mask match this digits-only string? */
export function matchNumberMask(mask: NumberMask, digits: string): boolean {
  const pattern = mask.pattern;
  const n = pattern.length;
  if (mask.hasStar ? digits.length < n : digits.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const p = pattern[i] as number;
    const c = digits.charCodeAt(i);
    if (p === ANY_DIGIT ? c < DIGIT_0 || c > DIGIT_9 : c - DIGIT_0 !== p) return false;
  }
  if (mask.hasStar) {
    for (let i = n; i < digits.length; i++) {
      const c = digits.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) return false;
    }
  }
  return true;
}

/** Like `matchNumberMask`, but says why not: wrong length, or the first differing position (1-based). */
export function explainNumberMask(mask: NumberMask, digits: string): MaskExplanation {
  const n = mask.pattern.length;
  if (mask.hasStar ? digits.length < n : digits.length !== n) {
    return { outcome: 'wrong-length', got: digits.length, need: n, atLeast: mask.hasStar };
  }
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    const p = i < n ? (mask.pattern[i] as number) : ANY_DIGIT;
    const isDigit = c >= DIGIT_0 && c <= DIGIT_9;
    if (!isDigit || (p !== ANY_DIGIT && c - DIGIT_0 !== p)) {
      return { outcome: 'digit-mismatch', position: i + 1, expected: p === ANY_DIGIT ? 'x' : String(p), got: digits[i] as string };
    }
  }
  return { outcome: 'matched' };
}

/**
 * Builds the dialed number from a string the mask matched: literals as written, each x takes the next
 * digit the mask's x's captured, `*` emits what the mask's `*` captured. The x counts must agree
 * (checked when the entry is parsed); surplus x's in the template would emit nothing.
 */
export function applyDialedNumber(mask: NumberMask, template: DialedNumberTemplate, digits: string): string {
  const literals = template.literals;
  const xPositions = mask.xPositions;
  let out = literals[0] as string;
  for (let k = 1; k < literals.length; k++) {
    const at = xPositions[k - 1];
    if (at !== undefined) out += digits[at] as string;
    out += literals[k] as string;
  }
  if (template.hasStar && mask.hasStar) out += digits.slice(mask.pattern.length);
  return out;
}

/** The string with everything but the ASCII digits removed (`9-1-425-555-1234` → `914255551234`). */
export function digitsOnly(text: string): string {
  let out = '';
  let start = -1;
  // Copy runs of digits with slice: far fewer string concatenations than one per character.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isDigit = c >= DIGIT_0 && c <= DIGIT_9;
    if (isDigit && start < 0) start = i;
    else if (!isDigit && start >= 0) {
      out += text.slice(start, i);
      start = -1;
    }
  }
  if (start >= 0) out += start === 0 ? text : text.slice(start);
  return out;
}

