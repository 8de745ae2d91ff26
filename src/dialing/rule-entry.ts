// One dialing rule entry as a whole: its name, mask and dialed number checked together (spec §1).

import { InvalidDialingRuleError } from './errors.js';
import { checkDialedNumber, checkNumberMask, parseDialedNumber, parseNumberMask } from './number-mask.js';
import type { DialedNumberTemplate, NumberMask } from './number-mask.js';
import { MAX_GROUP_NAME_LENGTH } from './problems.js';
import type { DialingRuleProblem } from './problems.js';
import type { DialingRuleEntry } from './types.js';

/** A rule entry whose mask and dialed number are parsed and known to fit together. */
export interface ParsedDialingRuleEntry {
  /** The configured entry (same reference). */
  readonly rule: DialingRuleEntry;
  readonly mask: NumberMask;
  readonly dialed: DialedNumberTemplate;
}

function countX(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === 'x' || ch === 'X') n++;
  return n;
}

/** Every problem of one entry, for the config linter (never throws); empty when the entry is valid. */
export function checkDialingRuleEntry(entry: DialingRuleEntry): DialingRuleProblem[] {
  const problems: DialingRuleProblem[] = [];
  if (entry.Name.length === 0) {
    problems.push({ code: 'E_GROUP_NAME_EMPTY', severity: 'error', field: 'Name', message: 'group name is empty' });
  } else if (entry.Name.length > MAX_GROUP_NAME_LENGTH) {
    problems.push({ code: 'E_GROUP_NAME_LENGTH', severity: 'error', field: 'Name', message: `group name "${entry.Name}" has ${entry.Name.length} characters, at most ${MAX_GROUP_NAME_LENGTH} allowed`, got: entry.Name.length, need: MAX_GROUP_NAME_LENGTH });
  }
  const maskProblems = checkNumberMask(entry.NumberMask);
  const dialedProblems = checkDialedNumber(entry.DialedNumber);
  problems.push(...maskProblems, ...dialedProblems);
  const maskX = countX(entry.NumberMask);
  const dialedX = countX(entry.DialedNumber);
  if (maskX !== dialedX) {
    problems.push({ code: 'E_MASK_X_COUNT', severity: 'error', field: 'DialedNumber', message: `DialedNumber "${entry.DialedNumber}" has ${dialedX} x, NumberMask "${entry.NumberMask}" has ${maskX}`, got: dialedX, need: maskX });
  }
  if (entry.DialedNumber.includes('*') && !entry.NumberMask.includes('*')) {
    problems.push({ code: 'E_DIALED_STAR_WITHOUT_MASK_STAR', severity: 'error', field: 'DialedNumber', message: `DialedNumber "${entry.DialedNumber}" has * but NumberMask "${entry.NumberMask}" has none` });
  }
  return problems;
}

/** Parses an entry for matching; throws `InvalidDialingRuleError` carrying every problem when it is not valid. */
export function parseDialingRuleEntry(entry: DialingRuleEntry): ParsedDialingRuleEntry {
  const problems = checkDialingRuleEntry(entry);
  if (problems.some((p) => p.severity === 'error')) {
    throw new InvalidDialingRuleError(`entry ${entry.Name},${entry.NumberMask},${entry.DialedNumber}`, problems);
  }
  return { rule: entry, mask: parseNumberMask(entry.NumberMask), dialed: parseDialedNumber(entry.DialedNumber) };
}

/** Group names compare case-insensitively, as Exchange's directory strings do. */
export function groupKey(name: string): string {
  return name.toLowerCase();
}
