import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWav, pcmToBytes, readWavFile, repairWavFile, WAV_HEADER_LENGTH, wavHeader, writeWavFile } from '../../../src/media/wav-file.js';
import { repoPath } from '../../support/paths.js';

const samples = Int16Array.from({ length: 1000 }, (_, i) => ((i * 37) % 2000) - 1000);

describe('WAV files on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-wav-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('writeWavFile then readWavFile gives the samples back', async () => {
    const path = join(dir, 'greeting.wav');
    await writeWavFile(path, samples);
    expect(statSync(path).size).toBe(WAV_HEADER_LENGTH + 2000);
    expect(Array.from(await readWavFile(path))).toEqual(Array.from(samples));
  });

  test('a missing file is a file error with the path, not a format error', async () => {
    const path = join(dir, 'missing.wav');
    await expect(readWavFile(path)).rejects.toMatchObject({ code: 'OPENUM_MEDIA_FILE_IO', path });
  });

  test('a file in another format is a format error naming the file', async () => {
    await expect(readWavFile(repoPath('test/fixtures/media/ffmpeg-8k-mono-mulaw.wav'))).rejects.toMatchObject({ code: 'OPENUM_MEDIA_WAV_FORMAT', got: 7 });
  });

  test('repair fixes the placeholder (zero) sizes of a recording cut off by a crash', async () => {
    const path = join(dir, 'cut.wav');
    writeFileSync(path, Buffer.concat([wavHeader(0), pcmToBytes(samples)]));
    expect(parseWav(readFileSync(path)).length).toBe(0);
    expect(await repairWavFile(path)).toBe(1000);
    const repaired = readFileSync(path);
    expect(repaired.subarray(0, WAV_HEADER_LENGTH).equals(wavHeader(2000))).toBe(true);
    expect(Array.from(await readWavFile(path))).toEqual(Array.from(samples));
  });

  test('repair fixes sizes that claim more than the file holds, and drops a torn trailing byte', async () => {
    const path = join(dir, 'torn.wav');
    writeFileSync(path, Buffer.concat([wavHeader(999_998), pcmToBytes(samples), Buffer.from([0x12])]));
    await expect(readWavFile(path)).rejects.toMatchObject({ code: 'OPENUM_MEDIA_WAV_FORMAT', field: 'data chunk size' });
    expect(await repairWavFile(path)).toBe(1000);
    expect(statSync(path).size).toBe(WAV_HEADER_LENGTH + 2000);
    expect(Array.from(await readWavFile(path))).toEqual(Array.from(samples));
  });

  test('repair counts from the data chunk when other chunks precede it', async () => {
    const path = join(dir, 'ffmpeg.wav');
    copyFileSync(repoPath('test/fixtures/media/ffmpeg-8k-mono-s16.wav'), path);
    writeFileSync(path, pcmToBytes(samples), { flag: 'a' });
    expect(await repairWavFile(path)).toBe(800 + 1000);
    const read = await readWavFile(path);
    expect(Array.from(read.subarray(800))).toEqual(Array.from(samples));
  });

  test('repair refuses a file that is not a WAV of our format', async () => {
    const path = join(dir, 'garbage.wav');
    writeFileSync(path, Buffer.alloc(100, 0x41));
    await expect(repairWavFile(path)).rejects.toMatchObject({ code: 'OPENUM_MEDIA_WAV_FORMAT', field: 'RIFF tag' });
    await expect(repairWavFile(join(dir, 'none.wav'))).rejects.toMatchObject({ code: 'OPENUM_MEDIA_FILE_IO' });
  });
});
