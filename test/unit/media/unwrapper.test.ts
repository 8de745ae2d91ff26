import { Unwrapper, sequenceDelta, timestampDelta } from '../../../src/media/unwrapper.js';

describe('sequence number and timestamp unwrapping', () => {
  test('16-bit sequence numbers keep counting across 65535 → 0', () => {
    const unwrapper = new Unwrapper(16);
    expect([65534, 65535, 0, 1, 2].map((seq) => unwrapper.unwrap(seq))).toEqual([65534, 65535, 65536, 65537, 65538]);
  });

  test('a packet reordered back across the wrap keeps its old cycle', () => {
    const unwrapper = new Unwrapper(16);
    expect(unwrapper.unwrap(65535)).toBe(65535);
    expect(unwrapper.unwrap(1)).toBe(65537);
    expect(unwrapper.unwrap(0)).toBe(65536);
    expect(unwrapper.unwrap(65535)).toBe(65535);
    expect(unwrapper.unwrap(2)).toBe(65538);
  });

  test('a backward step from the start goes below the first value', () => {
    const unwrapper = new Unwrapper(16);
    expect(unwrapper.unwrap(0)).toBe(0);
    expect(unwrapper.unwrap(65535)).toBe(-1);
  });

  test('32-bit timestamps keep counting across 2^32', () => {
    const unwrapper = new Unwrapper(32);
    const start = 2 ** 32 - 320;
    expect([start, start + 160, 0, 160].map((ts) => unwrapper.unwrap(ts))).toEqual([start, start + 160, 2 ** 32, 2 ** 32 + 160]);
  });

  test('reset forgets the reference', () => {
    const unwrapper = new Unwrapper(16);
    unwrapper.unwrap(65535);
    unwrapper.unwrap(0);
    unwrapper.reset();
    expect(unwrapper.unwrap(5)).toBe(5);
  });

  test('signed deltas take the short way round', () => {
    expect(sequenceDelta(65535, 0)).toBe(1);
    expect(sequenceDelta(0, 65535)).toBe(-1);
    expect(sequenceDelta(100, 100)).toBe(0);
    expect(sequenceDelta(0, 32767)).toBe(32767);
    expect(sequenceDelta(0, 32768)).toBe(-32768);
    expect(timestampDelta(2 ** 32 - 160, 0)).toBe(160);
    expect(timestampDelta(0, 2 ** 32 - 160)).toBe(-160);
  });
});
