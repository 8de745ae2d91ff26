import { frameLevelDbfs, SilenceDetector } from '../../../src/media/silence-detector.js';

function tone(amplitude: number): Int16Array {
  return Int16Array.from({ length: 160 }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * 400 * i) / 8000)));
}

describe('silence detection', () => {
  test('levels in dBFS', () => {
    expect(frameLevelDbfs(new Int16Array(160))).toBe(-Infinity);
    expect(frameLevelDbfs(new Int16Array(160).fill(-32768))).toBeCloseTo(0, 5);
    // A sine's RMS is peak/√2: −3 dB.
    expect(frameLevelDbfs(tone(32767))).toBeCloseTo(-3.01, 1);
    expect(frameLevelDbfs(tone(328))).toBeCloseTo(-43, 0);
  });

  test('counts the silent run in ms and resets it on speech', () => {
    const detector = new SilenceDetector({ thresholdDbfs: -45 });
    const quiet = tone(50); // about −59 dBFS: line noise
    expect(detector.process(quiet)).toMatchObject({ silent: true, silentRunMs: 20 });
    expect(detector.process(quiet).silentRunMs).toBe(40);
    expect(detector.process(new Int16Array(160)).silentRunMs).toBe(60);
    expect(detector.process(tone(3000))).toMatchObject({ silent: false, silentRunMs: 0 });
    expect(detector.process(quiet).silentRunMs).toBe(20);
    expect(detector.stats).toEqual({ frames: 5, silentFrames: 4, longestSilentRunMs: 60 });
  });

  test('the threshold is configurable', () => {
    const strict = new SilenceDetector({ thresholdDbfs: -70 });
    const lenient = new SilenceDetector({ thresholdDbfs: -30 });
    expect(strict.process(tone(50)).silent).toBe(false);
    expect(lenient.process(tone(500)).silent).toBe(true);
    expect(() => new SilenceDetector({ thresholdDbfs: 3 })).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
  });

  test('frames of other sizes count by their samples; reset ends the run', () => {
    const detector = new SilenceDetector();
    detector.process(new Int16Array(240));
    expect(detector.silentRunMs).toBe(30);
    detector.reset();
    expect(detector.silentRunMs).toBe(0);
  });
});
