import { readFileSync } from 'node:fs';
import wav from 'wav';
import { WavFormatError } from '../../../src/media/errors.js';
import { bytesToPcm, locateWavData, parseWav, pcmToBytes, WAV_HEADER_LENGTH, wavHeader } from '../../../src/media/wav-file.js';
import { repoPath } from '../../support/paths.js';

function fixture(name: string): Buffer {
  return readFileSync(repoPath('test/fixtures/media', name));
}

function formatError(bytes: Uint8Array): WavFormatError {
  try {
    parseWav(bytes);
  } catch (error) {
    if (error instanceof WavFormatError) return error;
    throw error;
  }
  throw new Error('parseWav accepted the file');
}

/** A RIFF/WAVE file from raw chunks: [id, body] pairs. */
function riff(chunks: [string, Buffer][]): Buffer {
  const parts = chunks.map(([id, body]) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
  });
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...parts]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** The 16-byte fmt body of openum's format, with fields overridden. */
function fmt(overrides: { format?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number } = {}): Buffer {
  const body = Buffer.from(wavHeader(0).subarray(20, 36));
  if (overrides.format !== undefined) body.writeUInt16LE(overrides.format, 0);
  if (overrides.channels !== undefined) body.writeUInt16LE(overrides.channels, 2);
  if (overrides.rate !== undefined) body.writeUInt32LE(overrides.rate, 4);
  if (overrides.blockAlign !== undefined) body.writeUInt16LE(overrides.blockAlign, 12);
  if (overrides.bits !== undefined) body.writeUInt16LE(overrides.bits, 14);
  return body;
}

/** WAVE_FORMAT_EXTENSIBLE fmt body (40 bytes) with the given sub-format code. */
function extensibleFmt(subFormat: number): Buffer {
  const body = Buffer.alloc(40);
  fmt({ format: 0xfffe }).copy(body, 0);
  body.writeUInt16LE(22, 16); // cbSize
  body.writeUInt16LE(16, 18); // valid bits
  body.writeUInt32LE(0x4, 20); // channel mask: front centre
  body.writeUInt16LE(subFormat, 24);
  // The rest of KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71.
  Buffer.from('000000001000800000aa00389b71', 'hex').copy(body, 26);
  return body;
}

const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321, 256]);

describe('WAV files: 8 kHz mono 16-bit PCM', () => {
  test('wavHeader is byte-for-byte the canonical header SoX writes', () => {
    const sox = fixture('sox-8k-mono-s16.wav');
    const dataBytes = sox.length - WAV_HEADER_LENGTH;
    expect(dataBytes).toBe(800);
    expect(wavHeader(dataBytes).equals(sox.subarray(0, WAV_HEADER_LENGTH))).toBe(true);
  });

  test('a SoX file decodes and re-encodes to the same bytes', () => {
    const sox = fixture('sox-8k-mono-s16.wav');
    const decoded = parseWav(sox);
    expect(decoded.length).toBe(400); // 50 ms at 8 kHz
    const reencoded = Buffer.concat([wavHeader(decoded.length * 2), pcmToBytes(decoded)]);
    expect(reencoded.equals(sox)).toBe(true);
  });

  test('an ffmpeg file with a LIST chunk before data decodes to the same samples as its raw twin', () => {
    const file = fixture('ffmpeg-8k-mono-s16.wav');
    expect(file.toString('latin1', 36, 40)).toBe('LIST');
    const location = locateWavData(file);
    expect(location.dataOffset).toBeGreaterThan(WAV_HEADER_LENGTH);
    const decoded = parseWav(file);
    expect(decoded.length).toBe(800);
    expect(Array.from(decoded)).toEqual(Array.from(bytesToPcm(fixture('ffmpeg-8k-mono-s16.raw'))));
    expect(decoded.some((sample) => sample !== 0)).toBe(true);
  });

  test.each([
    ['ffmpeg-16k-mono-s16.wav', 'sample rate', 16000, 8000],
    ['ffmpeg-8k-stereo-s16.wav', 'channels', 2, 1],
    ['ffmpeg-8k-mono-mulaw.wav', 'audio format', 7, 1],
    ['ffmpeg-8k-mono-u8.wav', 'bits per sample', 8, 16],
  ])('%s is refused: %s got %p need %p', (name, field, got, need) => {
    const error = formatError(fixture(name));
    expect(error.code).toBe('OPENUM_MEDIA_WAV_FORMAT');
    expect(error).toMatchObject({ field, got, need });
  });

  test('our files read back with the wav package (an independent reader)', async () => {
    const bytes = Buffer.concat([wavHeader(samples.length * 2), pcmToBytes(samples)]);
    const reader = new wav.Reader();
    const chunks: Buffer[] = [];
    const format = new Promise<Record<string, unknown>>((resolve) => reader.on('format', resolve));
    reader.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve, reject) => {
      reader.on('end', resolve);
      reader.on('error', reject);
    });
    reader.end(bytes);
    expect(await format).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 8000, bitDepth: 16 });
    await done;
    expect(Array.from(bytesToPcm(Buffer.concat(chunks)))).toEqual(Array.from(samples));
    expect(Array.from(parseWav(bytes))).toEqual(Array.from(samples));
  });

  test('WAVE_FORMAT_EXTENSIBLE with the PCM sub-format is read; another sub-format is refused', () => {
    const data = pcmToBytes(samples);
    expect(Array.from(parseWav(riff([['fmt ', extensibleFmt(1)], ['data', data]])))).toEqual(Array.from(samples));
    expect(formatError(riff([['fmt ', extensibleFmt(3)], ['data', data]]))).toMatchObject({ field: 'audio format', got: 3, need: 1 });
  });

  test('odd-sized chunks are skipped with their pad byte', () => {
    const bytes = riff([['fmt ', fmt()], ['junk', Buffer.from([1, 2, 3])], ['data', pcmToBytes(samples)]]);
    expect(Array.from(parseWav(bytes))).toEqual(Array.from(samples));
  });

  test('structural faults carry the field and the numbers', () => {
    const good = Buffer.concat([wavHeader(samples.length * 2), pcmToBytes(samples)]);
    const notRiff = Buffer.from(good);
    notRiff.write('RIFX', 0, 'latin1');
    expect(formatError(notRiff)).toMatchObject({ field: 'RIFF tag', got: 'RIFX', need: 'RIFF' });
    expect(formatError(good.subarray(0, 8))).toMatchObject({ field: 'file length', got: 8 });
    // Cut off by a crash: the header promises more than the file holds.
    expect(formatError(good.subarray(0, good.length - 4))).toMatchObject({ field: 'data chunk size', got: 16 });
    expect(formatError(riff([['data', pcmToBytes(samples)], ['fmt ', fmt()]]))).toMatchObject({ field: 'fmt chunk', got: 'after data' });
    expect(formatError(riff([['fmt ', fmt()]]))).toMatchObject({ field: 'data chunk', got: 'missing' });
    expect(formatError(riff([['fmt ', fmt().subarray(0, 12)], ['data', Buffer.alloc(2)]]))).toMatchObject({ field: 'fmt chunk size', got: 12, need: 16 });
    expect(formatError(riff([['fmt ', fmt({ blockAlign: 4 })], ['data', Buffer.alloc(4)]]))).toMatchObject({ field: 'block align', got: 4, need: 2 });
    expect(formatError(riff([['fmt ', fmt()], ['data', Buffer.alloc(3)]]))).toMatchObject({ field: 'data chunk size', got: 3 });
  });

  test('wavHeader refuses sizes that are not whole samples', () => {
    expect(() => wavHeader(3)).toThrow(WavFormatError);
    expect(() => wavHeader(-2)).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_WAV_FORMAT' }));
    expect(wavHeader(0).readUInt32LE(4)).toBe(36);
  });

  test('byte conversion is little-endian and works from an odd offset', () => {
    const bytes = pcmToBytes(Int16Array.from([0x0102, -2]));
    expect(Array.from(bytes)).toEqual([0x02, 0x01, 0xfe, 0xff]);
    const shifted = Buffer.concat([Buffer.from([0x99]), bytes, Buffer.from([0x77])]);
    expect(Array.from(bytesToPcm(shifted.subarray(1, 5)))).toEqual([0x0102, -2]);
    expect(bytesToPcm(shifted.subarray(1, 4)).length).toBe(1);
  });
});
