import { frameLevelDbfs } from '../../../src/media/silence-detector.js';
import { BEEP, silenceSamples, toneSamples } from '../../../src/media/tone.js';

/** Sign changes between consecutive samples. */
function zeroCrossings(samples: Int16Array): number {
  let count = 0;
  for (let i = 1; i < samples.length; i++) {
    if (((samples[i - 1] ?? 0) < 0) !== ((samples[i] ?? 0) < 0)) count++;
  }
  return count;
}

describe('tones and silence', () => {
  test('the beep is 1000 Hz for 250 ms at −12 dBFS', () => {
    const beep = toneSamples();
    expect(beep.length).toBe(2000);
    expect(BEEP).toMatchObject({ frequencyHz: 1000, durationMs: 250, levelDbfs: -12 });
    // Away from the ramps, a 20 ms frame holds 20 periods: about 40 sign changes, RMS at the level.
    const middle = beep.subarray(800, 960);
    expect(frameLevelDbfs(middle)).toBeCloseTo(-12, 1);
    expect(Math.abs(zeroCrossings(middle) - 40)).toBeLessThanOrEqual(1);
  });

  test('frequency, duration and level are honoured', () => {
    const tone = toneSamples({ frequencyHz: 400, durationMs: 100, levelDbfs: -20, rampMs: 0 });
    expect(tone.length).toBe(800);
    expect(frameLevelDbfs(tone)).toBeCloseTo(-20, 1);
    // 100 ms of 400 Hz: 40 periods, 80 sign changes.
    expect(Math.abs(zeroCrossings(tone) - 80)).toBeLessThanOrEqual(1);
  });

  test('the ramp starts and ends the tone at zero and grows linearly', () => {
    const tone = toneSamples({ frequencyHz: 1000, durationMs: 50, levelDbfs: -6, rampMs: 5 });
    expect(tone[0]).toBe(0);
    expect(tone[tone.length - 1]).toBe(0);
    const peakOf = (from: number, to: number): number => Math.max(...Array.from(tone.subarray(from, to), Math.abs));
    expect(peakOf(0, 20)).toBeLessThan(peakOf(200, 220) / 2);
  });

  test('levels above −3 dBFS clip at full scale instead of wrapping', () => {
    const loud = toneSamples({ levelDbfs: 0, rampMs: 0 });
    expect(Math.max(...loud)).toBeLessThanOrEqual(32767);
    expect(Math.min(...loud)).toBeGreaterThanOrEqual(-32767);
    expect(Math.max(...loud)).toBeGreaterThan(32000);
  });

  test('silence is zero samples for the duration', () => {
    const silence = silenceSamples(100);
    expect(silence.length).toBe(800);
    expect(silence.every((sample) => sample === 0)).toBe(true);
    expect(silenceSamples(0).length).toBe(0);
    expect(silenceSamples(10, 16000).length).toBe(160);
  });

  test('impossible tones are refused as bad arguments', () => {
    const code = { code: 'OPENUM_MEDIA_BAD_ARGUMENT' };
    expect(() => toneSamples({ frequencyHz: 4000 })).toThrow(expect.objectContaining(code));
    expect(() => toneSamples({ durationMs: -1 })).toThrow(expect.objectContaining(code));
    expect(() => toneSamples({ levelDbfs: 1 })).toThrow(expect.objectContaining(code));
    expect(() => silenceSamples(Number.NaN)).toThrow(expect.objectContaining(code));
  });
});
