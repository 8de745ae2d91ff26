import { findShadowedEntries, maskIncludes, parseNumberMask } from '../../../src/dialing/index.js';
import type { DialingRuleEntry } from '../../../src/dialing/index.js';

const e = (Name: string, NumberMask: string): DialingRuleEntry => ({ Name, NumberMask, DialedNumber: NumberMask });
const includes = (outer: string, inner: string): boolean => maskIncludes(parseNumberMask(outer), parseNumberMask(inner));

describe('mask inclusion', () => {
  test.each([
    ['91*', '91425xxxxxxx', true],
    ['9xxxxxxx', '9555xxxx', true],
    ['*', '9011*', true],
    ['*', '1', true],
    ['91*', '91*', true],
    ['91*', '9*', false], // 9* also matches "9" and "95…"
    ['9555xxxx', '9xxxxxxx', false],
    ['9xxxxxxx', '9xxxxxxxx', false], // different exact lengths
    ['9xxxxxxx', '9xxxxxx*', false], // a * reaches lengths a fixed mask never does
    ['91xx*', '91*', false], // 91* matches "91", which is too short for 91xx*
    ['9x*', '95*', true],
    ['x1', '11', true],
    ['x1', 'x2', false],
  ])('%s includes %s: %s', (outer, inner, expected) => {
    expect(includes(outer, inner)).toBe(expected);
  });
});

describe('findShadowedEntries (W_SHADOWED_RULE)', () => {
  test('91* shadows a later area-code mask of the same group', () => {
    const entries = [e('National', '91*'), e('National', '91425xxxxxxx')];
    const found = findShadowedEntries(entries);
    expect(found).toEqual([expect.objectContaining({ code: 'W_SHADOWED_RULE', severity: 'warning', group: 'National', index: 1, shadowedByIndex: 0 })]);
    expect(found[0]?.entry).toBe(entries[1]);
    expect(found[0]?.shadowedBy).toBe(entries[0]);
  });

  test('9xxxxxxx shadows 9555xxxx; the reverse order shadows nothing', () => {
    expect(findShadowedEntries([e('Local', '9xxxxxxx'), e('Local', '9555xxxx')]).map((s) => s.index)).toEqual([1]);
    expect(findShadowedEntries([e('Local', '9555xxxx'), e('Local', '9xxxxxxx')])).toEqual([]);
  });

  test('* shadows everything after it in its group', () => {
    const found = findShadowedEntries([e('Any', '*'), e('Any', '9'), e('Any', '91*'), e('Any', 'xxxx')]);
    expect(found.map((s) => [s.index, s.shadowedByIndex])).toEqual([[1, 0], [2, 0], [3, 0]]);
  });

  test('only entries of the same group shadow each other (names compare case-insensitively)', () => {
    expect(findShadowedEntries([e('A', '91*'), e('B', '91425xxxxxxx')])).toEqual([]);
    expect(findShadowedEntries([e('Local', '91*'), e('B', '9'), e('LOCAL', '914')]).map((s) => s.index)).toEqual([2]);
  });

  test('entries with invalid masks are skipped, never thrown on', () => {
    expect(findShadowedEntries([e('A', '9*1'), e('A', '91'), e('A', '')])).toEqual([]);
  });

  test('partial overlap is not shadowing', () => {
    expect(findShadowedEntries([e('A', '91425xxxxxxx'), e('A', '9xx25xxxxxxx')])).toEqual([]);
  });
});
