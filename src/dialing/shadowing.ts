// Entries that can never win (W_SHADOWED_RULE): within a group the first match wins (spec §1
// Decision), so an entry is dead when an earlier entry of its group matches every string it matches.

import { ANY_DIGIT, checkNumberMask, parseNumberMask } from './number-mask.js';
import type { NumberMask } from './number-mask.js';
import { groupKey } from './rule-entry.js';
import type { DialingRuleEntry } from './types.js';

/** A rule entry made unreachable by an earlier entry of the same group. */
export interface ShadowedEntry {
  code: 'W_SHADOWED_RULE';
  severity: 'warning';
  /** The group name, as written on the shadowed entry. */
  group: string;
  /** Index of the shadowed entry in the list given. */
  index: number;
  entry: DialingRuleEntry;
  /** Index of the earlier entry that matches everything this one matches. */
  shadowedByIndex: number;
  shadowedBy: DialingRuleEntry;
  message: string;
}

/**
 * Mask language inclusion: does `outer` match every digit string `inner` matches? Without a `*`,
 * `outer` only matches its exact length, so `inner` must have that length and no `*`; with one,
 * `inner`'s shortest strings must be at least as long. Then each fixed position of `outer` must be x
 * or the same literal digit as `inner` (an x in `inner` under a literal of `outer` lets a digit escape).
 */
export function maskIncludes(outer: NumberMask, inner: NumberMask): boolean {
  const n = outer.pattern.length;
  if (outer.hasStar) {
    if (inner.pattern.length < n) return false;
  } else if (inner.hasStar || inner.pattern.length !== n) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    const o = outer.pattern[i] as number;
    if (o !== ANY_DIGIT && inner.pattern[i] !== o) return false;
  }
  return true;
}

/**
 * For each group (entries with the same Name, case-insensitive, in list order), the entries an earlier
 * entry of the same group always beats. Entries with invalid masks are skipped (checkDialingRuleEntry
 * reports them). Never throws; result is in list order of the shadowed entries.
 */
export function findShadowedEntries(entries: readonly DialingRuleEntry[]): ShadowedEntry[] {
  const earlierByGroup = new Map<string, { index: number; mask: NumberMask }[]>();
  const result: ShadowedEntry[] = [];
  entries.forEach((entry, index) => {
    if (checkNumberMask(entry.NumberMask).length > 0) return;
    const mask = parseNumberMask(entry.NumberMask);
    const key = groupKey(entry.Name);
    let earlier = earlierByGroup.get(key);
    if (earlier === undefined) {
      earlier = [];
      earlierByGroup.set(key, earlier);
    }
    const winner = earlier.find((e) => maskIncludes(e.mask, mask));
    if (winner !== undefined) {
      const shadowedBy = entries[winner.index] as DialingRuleEntry;
      result.push({
        code: 'W_SHADOWED_RULE',
        severity: 'warning',
        group: entry.Name,
        index,
        entry,
        shadowedByIndex: winner.index,
        shadowedBy,
        message: `entry ${index} (${entry.NumberMask}) of group ${entry.Name} can never win: entry ${winner.index} (${shadowedBy.NumberMask}) matches every number it matches`,
      });
    }
    earlier.push({ index, mask });
  });
  return result;
}
