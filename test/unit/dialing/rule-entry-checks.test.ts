import { checkDialingRuleEntry, DIALING_RULE_PROBLEM_CODES, InvalidDialingRuleError, parseDialingRuleEntry } from '../../../src/dialing/index.js';
import type { DialingRuleEntry } from '../../../src/dialing/index.js';

const entry = (NumberMask: string, DialedNumber: string, Name = 'Local'): DialingRuleEntry => ({ Name, NumberMask, DialedNumber });
const codes = (e: DialingRuleEntry): string[] => checkDialingRuleEntry(e).map((p) => p.code);

describe('checkDialingRuleEntry (problems for the config linter)', () => {
  test('valid entries have no problems, including Lync\'s catch-all', () => {
    expect(checkDialingRuleEntry(entry('91425xxxxxxx', '9xxxxxxx'))).toEqual([]);
    expect(checkDialingRuleEntry({ Name: 'Anywhere', NumberMask: '*', DialedNumber: '*', Comment: '*' })).toEqual([]);
    expect(checkDialingRuleEntry(entry('9011*', '0'))).toEqual([]);
  });

  test('E_MASK_X_COUNT: x counts differ between mask and dialed number', () => {
    const problems = checkDialingRuleEntry(entry('9xxxxxxx', '9xxxxxx'));
    expect(problems).toEqual([expect.objectContaining({ code: 'E_MASK_X_COUNT', severity: 'error', field: 'DialedNumber', got: 6, need: 7 })]);
    expect(codes(entry('91425', '9x'))).toEqual(['E_MASK_X_COUNT']);
  });

  test('E_MASK_STAR_POSITION: * not at the end, or more than one', () => {
    expect(codes(entry('9*1', '9*1'))).toEqual(expect.arrayContaining(['E_MASK_STAR_POSITION']));
    expect(codes(entry('91**', '91*'))).toEqual(['E_MASK_STAR_POSITION', 'E_MASK_STAR_POSITION']);
  });

  test('E_DIALED_STAR_POSITION: * inside the dialed number', () => {
    expect(codes(entry('91*', '9*1'))).toEqual(['E_DIALED_STAR_POSITION']);
  });

  test('E_DIALED_STAR_WITHOUT_MASK_STAR: the dialed number emits a capture the mask never makes', () => {
    expect(codes(entry('914255551234', '91*'))).toEqual(['E_DIALED_STAR_WITHOUT_MASK_STAR']);
  });

  test('E_MASK_CHARACTERS and E_DIALED_CHARACTERS: anything but digits, x and *', () => {
    expect(codes(entry('9-425-xxx', '9425xxx'))).toEqual(['E_MASK_CHARACTERS', 'E_MASK_CHARACTERS']);
    expect(codes(entry('9425', '+19425'))).toEqual(['E_DIALED_CHARACTERS']);
  });

  test('E_MASK_EMPTY and E_DIALED_EMPTY', () => {
    expect(codes(entry('', '9'))).toEqual(['E_MASK_EMPTY']);
    expect(codes(entry('9', ''))).toEqual(['E_DIALED_EMPTY']);
  });

  test('E_GROUP_NAME_LENGTH over 32 characters, E_GROUP_NAME_EMPTY', () => {
    expect(codes(entry('9', '9', 'x'.repeat(32)))).toEqual([]);
    expect(checkDialingRuleEntry(entry('9', '9', 'x'.repeat(33)))).toEqual([expect.objectContaining({ code: 'E_GROUP_NAME_LENGTH', field: 'Name', got: 33, need: 32 })]);
    expect(codes(entry('9', '9', ''))).toEqual(['E_GROUP_NAME_EMPTY']);
  });

  test('several problems are all reported', () => {
    expect(codes(entry('a*x*', 'xx', 'y'.repeat(40)))).toEqual(['E_GROUP_NAME_LENGTH', 'E_MASK_CHARACTERS', 'E_MASK_STAR_POSITION', 'E_MASK_STAR_POSITION', 'E_MASK_X_COUNT']);
  });

  test('every code produced is in DIALING_RULE_PROBLEM_CODES with a one-line description', () => {
    for (const [code, text] of Object.entries(DIALING_RULE_PROBLEM_CODES)) {
      expect(code).toMatch(/^[EW]_[A-Z_]+$/);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toContain('\n');
    }
    expect(Object.keys(DIALING_RULE_PROBLEM_CODES)).toEqual(expect.arrayContaining(['E_MASK_X_COUNT', 'E_MASK_STAR_POSITION', 'E_MASK_CHARACTERS', 'E_MASK_EMPTY', 'E_GROUP_NAME_LENGTH', 'W_SHADOWED_RULE']));
  });

  test('parseDialingRuleEntry throws the typed error with every problem', () => {
    expect(() => parseDialingRuleEntry(entry('9xx', '9x'))).toThrow(InvalidDialingRuleError);
    try {
      parseDialingRuleEntry(entry('9xx*', '9x*1'));
      throw new Error('expected a throw');
    } catch (e) {
      expect((e as InvalidDialingRuleError).problems.map((p) => p.code)).toEqual(['E_DIALED_STAR_POSITION', 'E_MASK_X_COUNT']);
    }
    const ok = entry('9xx', '8xx');
    expect(parseDialingRuleEntry(ok).rule).toBe(ok);
  });
});
