import { Recorder, RecorderState, type RecordingSink } from '../../../src/media/recorder.js';
import { toneSamples } from '../../../src/media/tone.js';

/** A sink that keeps what it gets. */
class ArraySink implements RecordingSink {
  readonly chunks: Int16Array[] = [];
  closed = false;
  write(samples: Int16Array): void {
    this.chunks.push(samples.slice());
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  get samples(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }
}

// Speech stand-in: a −20 dBFS tone, well above the −45 dBFS silence threshold.
const SPEECH = toneSamples({ frequencyHz: 440, durationMs: 20, levelDbfs: -20, rampMs: 0 });
const SILENCE = new Int16Array(160);
const NOISE = toneSamples({ frequencyHz: 300, durationMs: 20, levelDbfs: -60, rampMs: 0 });

/** Feeds `frames` frames; returns the result of the frame that ended the recording, if one did. */
function feed(recorder: Recorder, frame: Int16Array, frames: number, concealed = false): ReturnType<Recorder['process']> {
  for (let i = 0; i < frames; i++) {
    const result = recorder.process(frame, { concealed });
    if (result) return result;
  }
  return undefined;
}

function started(options: Partial<ConstructorParameters<typeof Recorder>[0]> = {}): { recorder: Recorder; sink: ArraySink } {
  const sink = new ArraySink();
  const recorder = new Recorder({ sink, ...options });
  recorder.start();
  return { recorder, sink };
}

describe('recorder: when a voicemail recording ends (spec §3.2)', () => {
  test('# ends it; duration, voiced time and the trailing silence are reported', async () => {
    const { recorder, sink } = started();
    feed(recorder, SPEECH, 100); // 2 s of speech
    feed(recorder, SILENCE, 25); // 0.5 s pause
    expect(recorder.digit('5')).toBeUndefined();
    const result = recorder.digit('#');
    expect(result).toEqual({ reason: 'terminator', durationMs: 2500, voicedMs: 2000, trailingSilenceMs: 500, samples: 20000, trailingSilenceSamples: 4000 });
    expect(recorder.state).toBe(RecorderState.Ended);
    await expect(recorder.ended).resolves.toBe(result);
    expect(sink.samples).toBe(20000);
    expect(sink.closed).toBe(false); // the owner commits or discards
    expect(recorder.stats.otherDigits).toBe(1);
  });

  test('RecordingIdleTimeout of silence ends it on the frame that completes the timeout', () => {
    const { recorder } = started({ idleTimeoutMs: 5000 });
    feed(recorder, SPEECH, 50);
    feed(recorder, SILENCE, 100);
    expect(feed(recorder, SPEECH, 1)).toBeUndefined(); // speech resets the run
    expect(feed(recorder, NOISE, 249)).toBeUndefined(); // line noise is silence: 4.98 s
    const result = feed(recorder, SILENCE, 1);
    expect(result).toMatchObject({ reason: 'silence', trailingSilenceMs: 5000, voicedMs: 1020, durationMs: 8020 });
  });

  test('loss concealment counts as silence even when it is not zero', () => {
    const { recorder } = started({ idleTimeoutMs: 2000 });
    feed(recorder, SPEECH, 10);
    const result = feed(recorder, SPEECH, 200, true);
    expect(result).toMatchObject({ reason: 'silence', voicedMs: 200, trailingSilenceMs: 2000 });
    expect(recorder.stats).toMatchObject({ frames: 110, concealedFrames: 100 });
  });

  test('MaxRecordingDuration ends it exactly, cutting the frame that crosses the limit', () => {
    const { recorder, sink } = started({ maxDurationMs: 1010 });
    const result = feed(recorder, SPEECH, 100);
    expect(result).toMatchObject({ reason: 'max-duration', durationMs: 1010, samples: 8080, trailingSilenceMs: 0 });
    expect(sink.samples).toBe(8080);
    expect(sink.chunks.at(-1)?.length).toBe(80);
  });

  test('hang-up ends it; stop again returns the same result', () => {
    const { recorder } = started();
    feed(recorder, SPEECH, 30);
    const result = recorder.stop('hangup');
    expect(result).toMatchObject({ reason: 'hangup', durationMs: 600, voicedMs: 600 });
    expect(recorder.stop()).toBe(result);
    expect(recorder.result).toBe(result);
  });

  test('a caller who hangs up before the tone ends an unstarted recording with nothing recorded', async () => {
    const sink = new ArraySink();
    const recorder = new Recorder({ sink });
    expect(recorder.process(SPEECH)).toBeUndefined();
    expect(recorder.digit('#')).toBeUndefined();
    expect(recorder.stop('hangup')).toMatchObject({ reason: 'hangup', durationMs: 0, voicedMs: 0 });
    await expect(recorder.ended).resolves.toMatchObject({ reason: 'hangup' });
    expect(sink.samples).toBe(0);
    expect(recorder.stats.ignoredFrames).toBe(1);
  });

  test('frames after the end are not recorded', () => {
    const { recorder, sink } = started();
    feed(recorder, SPEECH, 5);
    recorder.digit('#');
    expect(recorder.process(SPEECH)).toBeUndefined();
    expect(recorder.digit('#')).toBeUndefined();
    expect(sink.samples).toBe(800);
    expect(recorder.stats.ignoredFrames).toBe(1);
  });

  test('terminators are configurable', () => {
    const { recorder } = started({ terminators: ['*', '0'] });
    feed(recorder, SPEECH, 5);
    expect(recorder.digit('#')).toBeUndefined();
    expect(recorder.digit('0')).toMatchObject({ reason: 'terminator' });
  });

  test('an idle timeout of 0 disables the silence rule', () => {
    const { recorder } = started({ idleTimeoutMs: 0, maxDurationMs: 60_000 });
    expect(feed(recorder, SILENCE, 2000)).toBeUndefined();
    expect(recorder.durationMs).toBe(40_000);
  });

  test('a silent recording can be told apart from a message (the 1 s rule is the caller’s)', () => {
    const { recorder } = started({ idleTimeoutMs: 3000 });
    feed(recorder, SPEECH, 40);
    const result = feed(recorder, SILENCE, 1000);
    expect(result?.voicedMs).toBe(800);
    expect((result?.samples ?? 0) - (result?.trailingSilenceSamples ?? 0)).toBe(6400);
  });

  test('illegal state moves and bad options are refused with their own codes', () => {
    const { recorder } = started();
    expect(() => recorder.start()).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_INVALID_STATE' }));
    recorder.stop();
    expect(() => recorder.start()).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_INVALID_STATE' }));
    const sink = new ArraySink();
    expect(() => new Recorder({ sink, maxDurationMs: 0 })).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
    expect(() => new Recorder({ sink, idleTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
    expect(() => new Recorder({ sink, terminators: ['x' as '#'] })).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
  });
});
