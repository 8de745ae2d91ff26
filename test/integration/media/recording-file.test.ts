import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingRecoveryError } from '../../../src/media/errors.js';
import { Recorder } from '../../../src/media/recorder.js';
import { PARTIAL_SUFFIX, RecordingFile, recoverPartialRecordings } from '../../../src/media/recording-file.js';
import { toneSamples } from '../../../src/media/tone.js';
import { pcmToBytes, readWavFile, WAV_HEADER_LENGTH, wavHeader } from '../../../src/media/wav-file.js';

/** Frame `n` of a recognisable signal: sample i of the stream is (i mod 20000) − 10000. */
function frame(n: number): Int16Array {
  return Int16Array.from({ length: 160 }, (_, i) => ((n * 160 + i) % 20000) - 10000);
}

function expectPattern(samples: Int16Array, count: number): void {
  expect(samples.length).toBe(count);
  for (let i = 0; i < count; i++) {
    if (samples[i] !== (i % 20000) - 10000) throw new Error(`sample ${i} is ${samples[i]}`);
  }
}

describe('recording files', () => {
  let dir: string;
  const open: RecordingFile[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-rec-'));
  });
  afterEach(async () => {
    // A failed test may leave a file open: discard closes its descriptor.
    for (const file of open.splice(0)) await file.discard().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  async function create(name: string, options: Parameters<typeof RecordingFile.create>[1] = {}): Promise<RecordingFile> {
    const file = await RecordingFile.create(join(dir, name), options);
    open.push(file);
    return file;
  }

  test('streams to <path>.partial with a placeholder header and commits by rename', async () => {
    const file = await create('m1.wav');
    expect(readdirSync(dir)).toEqual(['m1.wav' + PARTIAL_SUFFIX]);
    expect(statSync(file.partialPath).size).toBe(WAV_HEADER_LENGTH);
    for (let n = 0; n < 75; n++) file.write(frame(n)); // 1.5 s
    expect(file.samples).toBe(12000);
    await file.close();
    expect(readdirSync(dir)).toEqual(['m1.wav']);
    expectPattern(await readWavFile(file.path), 12000);
    await expect(file.close()).resolves.toBeUndefined();
    expect(() => file.write(frame(0))).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_INVALID_STATE' }));
  });

  test('audio reaches the disk in ~200 ms batches with an fsync about every second', async () => {
    const synced: number[] = [];
    const file = await create('m2.wav', { onSync: (samples) => synced.push(samples) });
    for (let n = 0; n < 125; n++) file.write(frame(n)); // 2.5 s = 12 full batches + 1 frame
    await file.flush();
    // 12 batches of 1600 samples, 1 partial batch at flush; fsyncs asked for after 1 s, 2 s and by flush.
    expect(file.stats).toEqual({ samples: 20000, writtenSamples: 20000, syncedSamples: 20000, writes: 13, syncs: 3 });
    expect(synced).toHaveLength(3);
    // Writes go on while an fsync runs, so each covers at least the audio before it was asked for —
    // possibly more, in whole batches.
    expect(synced[0]).toBeGreaterThanOrEqual(8000);
    expect(synced[1]).toBeGreaterThanOrEqual(Math.max(16000, synced[0] ?? 0));
    expect(synced[2]).toBe(20000);
    expect(synced.every((value) => value % 1600 === 0 || value === 20000)).toBe(true);
    expect(statSync(file.partialPath).size).toBe(WAV_HEADER_LENGTH + 40000);
    await file.close();
  });

  test('trimTo cuts trailing silence before commit; writing may continue after it', async () => {
    const file = await create('m3.wav', { batchMs: 20 });
    for (let n = 0; n < 50; n++) file.write(frame(n));
    await file.trimTo(4000);
    expect(statSync(file.partialPath).size).toBe(WAV_HEADER_LENGTH + 8000);
    await file.trimTo(9000); // longer than the recording: nothing to do
    for (let n = 25; n < 30; n++) file.write(frame(n));
    await file.close();
    expectPattern(await readWavFile(file.path), 4800);
    await expect(file.trimTo(1)).rejects.toMatchObject({ code: 'OPENUM_MEDIA_INVALID_STATE' });
  });

  test('the recorder and the file together: silence ends the message, the caller trims and commits', async () => {
    const file = await create('m4.wav');
    const recorder = new Recorder({ sink: file, idleTimeoutMs: 2000 });
    recorder.start();
    const speech = toneSamples({ frequencyHz: 440, durationMs: 20, levelDbfs: -20, rampMs: 0 });
    let result;
    for (let i = 0; i < 500 && !result; i++) result = recorder.process(i < 100 ? speech : new Int16Array(160));
    expect(result).toMatchObject({ reason: 'silence', voicedMs: 2000, trailingSilenceMs: 2000 });
    await file.trimTo((result?.samples ?? 0) - (result?.trailingSilenceSamples ?? 0));
    await file.close();
    const saved = await readWavFile(file.path);
    expect(saved.length).toBe(16000);
    expect(Array.from(saved.subarray(0, 160))).toEqual(Array.from(speech));
  });

  test('discard deletes the partial file', async () => {
    const file = await create('short.wav');
    file.write(frame(0));
    await file.discard();
    await file.discard();
    expect(readdirSync(dir)).toEqual([]);
    await expect(file.close()).rejects.toMatchObject({ code: 'OPENUM_MEDIA_INVALID_STATE' });
  });

  test('two recordings never share a path', async () => {
    await create('same.wav');
    await expect(RecordingFile.create(join(dir, 'same.wav'))).rejects.toMatchObject({ code: 'OPENUM_MEDIA_FILE_IO' });
  });

  test('a failed commit rejects with a file error and leaves the partial file for recovery', async () => {
    const errors: unknown[] = [];
    const file = await create('blocked.wav', { onError: (error) => errors.push(error) });
    mkdirSync(join(dir, 'blocked.wav')); // rename(2) cannot replace a directory with a file
    file.write(frame(0));
    await expect(file.close()).rejects.toMatchObject({ code: 'OPENUM_MEDIA_FILE_IO' });
    expect(errors).toHaveLength(1);
    expect(existsSync(file.partialPath)).toBe(true);
    open.splice(0); // closed already; nothing to discard
  });

  test('bad batching options are refused', async () => {
    await expect(RecordingFile.create(join(dir, 'x.wav'), { batchMs: 0 })).rejects.toMatchObject({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' });
  });
});

describe('recovering partial recordings at start-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-recover-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function pattern(count: number): Int16Array {
    return Int16Array.from({ length: count }, (_, i) => (i % 20000) - 10000);
  }

  test('repairs headers, renames, and leaves other files alone', async () => {
    writeFileSync(join(dir, 'a.wav.partial'), Buffer.concat([wavHeader(0), pcmToBytes(pattern(3200))]));
    writeFileSync(join(dir, 'b.wav.partial'), wavHeader(0).subarray(0, 20)); // died while writing the header
    writeFileSync(join(dir, 'done.wav'), Buffer.concat([wavHeader(4), pcmToBytes(pattern(2))]));
    mkdirSync(join(dir, 'sub.partial'));
    const recovered = await recoverPartialRecordings(dir);
    expect(recovered).toEqual([
      { path: join(dir, 'a.wav'), samples: 3200 },
      { path: join(dir, 'b.wav'), samples: 0 },
    ]);
    expectPattern(await readWavFile(join(dir, 'a.wav')), 3200);
    expect((await readWavFile(join(dir, 'b.wav'))).length).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['a.wav', 'b.wav', 'done.wav', 'sub.partial']);
  });

  test('a file that cannot be recovered stays; the others are recovered and both are reported', async () => {
    writeFileSync(join(dir, 'bad.wav.partial'), Buffer.alloc(200, 0x20));
    writeFileSync(join(dir, 'good.wav.partial'), Buffer.concat([wavHeader(0), pcmToBytes(pattern(160))]));
    const error = await recoverPartialRecordings(dir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RecordingRecoveryError);
    const failure = error as RecordingRecoveryError;
    expect(failure.code).toBe('OPENUM_MEDIA_RECOVERY_FAILED');
    expect(failure.recovered).toEqual([{ path: join(dir, 'good.wav'), samples: 160 }]);
    expect(failure.failures.map((f) => f.path)).toEqual([join(dir, 'bad.wav.partial')]);
    expect(failure.failures[0]?.error).toMatchObject({ code: 'OPENUM_MEDIA_WAV_FORMAT' });
    expect(readdirSync(dir).sort()).toEqual(['bad.wav.partial', 'good.wav']);
  });

  test('an empty directory recovers nothing; a missing one is a file error', async () => {
    await expect(recoverPartialRecordings(dir)).resolves.toEqual([]);
    await expect(recoverPartialRecordings(join(dir, 'nope'))).rejects.toMatchObject({ code: 'OPENUM_MEDIA_FILE_IO' });
  });
});
