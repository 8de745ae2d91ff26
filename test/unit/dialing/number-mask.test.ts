import {
  applyDialedNumber,
  checkDialedNumber,
  checkNumberMask,
  digitsOnly,
  explainNumberMask,
  InvalidDialingRuleError,
  matchNumberMask,
  parseDialedNumber,
  parseNumberMask,
} from '../../../src/dialing/index.js';

/** Microsoft's examples (spec §1 table): mask, dialed number, input, output. */
const MICROSOFT_VECTORS: [string, string, string, string][] = [
  ['91425xxxxxxx', '9xxxxxxx', '914255551234', '95551234'],
  ['9425xxxxxxx', '9xxxxxxx', '94255551234', '95551234'],
  ['9xxxxxxx', '9xxxxxxx', '95551234', '95551234'],
  ['91*', '91*', '914085551234', '914085551234'],
  ['901144*', '901144*', '9011441234567890', '9011441234567890'],
  ['*', '*', '914255551234', '914255551234'],
  ['*', '*', '0', '0'],
  ['1425xxxxxxx', '91425xxxxxxx', '14255551234', '914255551234'],
  ['xxxxxxx', '1425xxxxxxx', '5551234', '14255551234'],
  ['9xxxxxxxxxx', '91xxxxxxxxxx', '94255551234', '914255551234'],
  ['91425*', '91*', '914255551234', '915551234'],
];

describe('number masks (spec §1)', () => {
  test.each(MICROSOFT_VECTORS)('mask %s → %s turns %s into %s', (mask, dialed, input, output) => {
    const m = parseNumberMask(mask);
    expect(matchNumberMask(m, input)).toBe(true);
    expect(applyDialedNumber(m, parseDialedNumber(dialed), input)).toBe(output);
  });

  test('a mask without * matches only its exact length', () => {
    const m = parseNumberMask('9xxxxxxx');
    expect(matchNumberMask(m, '9555123')).toBe(false);
    expect(matchNumberMask(m, '955512345')).toBe(false);
    expect(explainNumberMask(m, '955512345')).toEqual({ outcome: 'wrong-length', got: 9, need: 8, atLeast: false });
  });

  test('* matches zero or more digits', () => {
    const m = parseNumberMask('91*');
    expect(matchNumberMask(m, '91')).toBe(true);
    expect(matchNumberMask(m, '9')).toBe(false);
    expect(explainNumberMask(m, '9')).toEqual({ outcome: 'wrong-length', got: 1, need: 2, atLeast: true });
    expect(applyDialedNumber(m, parseDialedNumber('91*'), '91')).toBe('91');
    expect(matchNumberMask(parseNumberMask('*'), '')).toBe(true);
  });

  test('literal digits must agree; the first difference is reported 1-based', () => {
    const m = parseNumberMask('91425xxxxxxx');
    expect(matchNumberMask(m, '912065551234')).toBe(false);
    expect(explainNumberMask(m, '912065551234')).toEqual({ outcome: 'digit-mismatch', position: 3, expected: '4', got: '2' });
    expect(explainNumberMask(m, '914255551234')).toEqual({ outcome: 'matched' });
  });

  test('X is the same as x, on both sides', () => {
    const m = parseNumberMask('9XXX');
    expect(matchNumberMask(m, '9123')).toBe(true);
    expect(applyDialedNumber(m, parseDialedNumber('8xXx'), '9123')).toBe('8123');
  });

  test('x captures are emitted in order, wherever the x sits', () => {
    const m = parseNumberMask('1x2x3x');
    expect(applyDialedNumber(m, parseDialedNumber('xx0x'), '142536')).toBe('4506');
  });

  test('a dialed number without * drops what the mask\'s * captured', () => {
    const m = parseNumberMask('9011*');
    expect(applyDialedNumber(m, parseDialedNumber('0'), '9011441234')).toBe('0');
  });

  test('matching refuses non-digits even under x or *', () => {
    expect(matchNumberMask(parseNumberMask('9x'), '9a')).toBe(false);
    expect(matchNumberMask(parseNumberMask('9*'), '91-2')).toBe(false);
    expect(explainNumberMask(parseNumberMask('9*'), '91-2')).toEqual({ outcome: 'digit-mismatch', position: 3, expected: 'x', got: '-' });
  });

  test('parse rejects invalid masks and dialed numbers with a typed error carrying the problems', () => {
    for (const [text, code] of [['', 'E_MASK_EMPTY'], ['9*1', 'E_MASK_STAR_POSITION'], ['9**', 'E_MASK_STAR_POSITION'], ['9-1', 'E_MASK_CHARACTERS'], ['9 1', 'E_MASK_CHARACTERS'], ['+1', 'E_MASK_CHARACTERS']] as const) {
      let caught: unknown;
      try {
        parseNumberMask(text);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidDialingRuleError);
      expect((caught as InvalidDialingRuleError).code).toBe('OPENUM_DIALING_INVALID_RULE');
      expect((caught as InvalidDialingRuleError).problems.map((p) => p.code)).toContain(code);
    }
    expect(() => parseDialedNumber('*9')).toThrow(InvalidDialingRuleError);
    expect(() => parseDialedNumber('')).toThrow(InvalidDialingRuleError);
  });

  test('check functions list every problem without throwing', () => {
    expect(checkNumberMask('91425xxxxxxx')).toEqual([]);
    const problems = checkNumberMask('9*a*');
    expect(problems.map((p) => [p.code, p.position])).toEqual([
      ['E_MASK_STAR_POSITION', 2],
      ['E_MASK_CHARACTERS', 3],
      ['E_MASK_STAR_POSITION', 4],
    ]);
    expect(checkDialedNumber('9#').map((p) => p.code)).toEqual(['E_DIALED_CHARACTERS']);
    expect(checkDialedNumber('').map((p) => p.code)).toEqual(['E_DIALED_EMPTY']);
  });

  test('digitsOnly strips everything but digits', () => {
    expect(digitsOnly('9-1-425-555-1234')).toBe('914255551234');
    expect(digitsOnly('+1 (425) 555-1234')).toBe('14255551234');
    expect(digitsOnly('12345')).toBe('12345');
    expect(digitsOnly('abc')).toBe('');
    expect(digitsOnly('')).toBe('');
    expect(digitsOnly('a1b22c333')).toBe('122333');
  });
});
