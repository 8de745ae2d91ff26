import { open, readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { MediaFileError, WavFormatError } from './errors.js';
import { G711_SAMPLE_RATE } from './g711.js';

/*
 * The canonical 44-byte RIFF/WAVE header openum writes (16-bit linear PCM, 8 kHz, mono). All
 * integers little-endian. Readers walk the chunks, so files with extra chunks (LIST, fact) before
 * `data` are read too; openum's own files have exactly this layout.
 *
 *  offset  size  field
 *  0       4     "RIFF"
 *  4       4     RIFF chunk size = file size − 8
 *  8       4     "WAVE"
 *  12      4     "fmt "
 *  16      4     fmt chunk size (16)
 *  20      2     audio format (1 = PCM; 0xFFFE = extensible, sub-format in the extension)
 *  22      2     channels (1)
 *  24      4     sample rate (8000)
 *  28      4     byte rate = rate × block align (16000)
 *  32      2     block align = channels × bytes per sample (2)
 *  34      2     bits per sample (16)
 *  36      4     "data"
 *  40      4     data chunk size = samples × 2
 *  44      …     samples
 */

/** Bytes in the canonical header; a recording's audio starts here. */
export const WAV_HEADER_LENGTH = 44;

const RIFF_SIZE_OFFSET = 4;
const WAVE_OFFSET = 8;
const FIRST_CHUNK_OFFSET = 12;
const CHUNK_HEADER_LENGTH = 8;
const PCM_FMT_LENGTH = 16;
const EXTENSIBLE_FMT_LENGTH = 40;
const FMT_AUDIO_FORMAT = 0;
const FMT_CHANNELS = 2;
const FMT_SAMPLE_RATE = 4;
const FMT_BYTE_RATE = 8;
const FMT_BLOCK_ALIGN = 12;
const FMT_BITS = 14;
// WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts at byte 24 of the fmt body; its first two bytes
// are the plain format code (1 for PCM).
const FMT_SUBFORMAT = 24;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const CHANNELS = 1;
const BITS_PER_SAMPLE = 16;
const BYTES_PER_SAMPLE = 2;
// Enough to reach the data chunk of any sane file (headers plus a LIST chunk of metadata).
const HEADER_PROBE_BYTES = 64 * 1024;

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Where the audio of a WAV file is, as its header says. */
export interface WavDataLocation {
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Data chunk size written in the header (may be wrong in a file cut off by a crash). */
  declaredDataBytes: number;
}

/** The canonical 44-byte header for `dataBytes` bytes of 8 kHz mono 16-bit PCM. */
export function wavHeader(dataBytes: number): Buffer {
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes % BYTES_PER_SAMPLE !== 0 || dataBytes > 0xffffffff - 36) {
    throw new WavFormatError('data chunk size', dataBytes, 'a whole number of 16-bit samples under 4 GiB');
  }
  const header = Buffer.alloc(WAV_HEADER_LENGTH);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(WAV_HEADER_LENGTH - 8 + dataBytes, RIFF_SIZE_OFFSET);
  header.write('WAVE', WAVE_OFFSET, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(PCM_FMT_LENGTH, 16);
  const fmt = 20;
  header.writeUInt16LE(WAVE_FORMAT_PCM, fmt + FMT_AUDIO_FORMAT);
  header.writeUInt16LE(CHANNELS, fmt + FMT_CHANNELS);
  header.writeUInt32LE(G711_SAMPLE_RATE, fmt + FMT_SAMPLE_RATE);
  header.writeUInt32LE(G711_SAMPLE_RATE * BYTES_PER_SAMPLE, fmt + FMT_BYTE_RATE);
  header.writeUInt16LE(BYTES_PER_SAMPLE, fmt + FMT_BLOCK_ALIGN);
  header.writeUInt16LE(BITS_PER_SAMPLE, fmt + FMT_BITS);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/**
 * Checks that `bytes` start a RIFF/WAVE file of 8 kHz mono 16-bit PCM and finds its data chunk.
 * Does not check the data size against the bytes present (see {@link parseWav}).
 */
export function locateWavData(bytes: Uint8Array, path?: string): WavDataLocation {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < FIRST_CHUNK_OFFSET) throw new WavFormatError('file length', view.length, `at least ${WAV_HEADER_LENGTH}`, path);
  const riff = view.toString('latin1', 0, 4);
  if (riff !== 'RIFF') throw new WavFormatError('RIFF tag', riff, 'RIFF', path);
  const wave = view.toString('latin1', WAVE_OFFSET, WAVE_OFFSET + 4);
  if (wave !== 'WAVE') throw new WavFormatError('WAVE tag', wave, 'WAVE', path);
  let fmtSeen = false;
  let offset = FIRST_CHUNK_OFFSET;
  while (offset + CHUNK_HEADER_LENGTH <= view.length) {
    const id = view.toString('latin1', offset, offset + 4);
    const size = view.readUInt32LE(offset + 4);
    const body = offset + CHUNK_HEADER_LENGTH;
    if (id === 'fmt ') {
      if (body + Math.min(size, PCM_FMT_LENGTH) > view.length || size < PCM_FMT_LENGTH) {
        throw new WavFormatError('fmt chunk size', Math.min(size, view.length - body), PCM_FMT_LENGTH, path);
      }
      checkFormat(view, body, size, path);
      fmtSeen = true;
    } else if (id === 'data') {
      if (!fmtSeen) throw new WavFormatError('fmt chunk', 'after data', 'before data', path);
      return { dataOffset: body, declaredDataBytes: size };
    }
    // RIFF chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new WavFormatError(fmtSeen ? 'data chunk' : 'fmt chunk', 'missing', 'present', path);
}

function checkFormat(view: Buffer, body: number, size: number, path: string | undefined): void {
  let format = view.readUInt16LE(body + FMT_AUDIO_FORMAT);
  if (format === WAVE_FORMAT_EXTENSIBLE && size >= EXTENSIBLE_FMT_LENGTH && body + FMT_SUBFORMAT + 2 <= view.length) {
    format = view.readUInt16LE(body + FMT_SUBFORMAT);
  }
  if (format !== WAVE_FORMAT_PCM) throw new WavFormatError('audio format', format, WAVE_FORMAT_PCM, path);
  const channels = view.readUInt16LE(body + FMT_CHANNELS);
  if (channels !== CHANNELS) throw new WavFormatError('channels', channels, CHANNELS, path);
  const rate = view.readUInt32LE(body + FMT_SAMPLE_RATE);
  if (rate !== G711_SAMPLE_RATE) throw new WavFormatError('sample rate', rate, G711_SAMPLE_RATE, path);
  const bits = view.readUInt16LE(body + FMT_BITS);
  if (bits !== BITS_PER_SAMPLE) throw new WavFormatError('bits per sample', bits, BITS_PER_SAMPLE, path);
  const blockAlign = view.readUInt16LE(body + FMT_BLOCK_ALIGN);
  if (blockAlign !== BYTES_PER_SAMPLE) throw new WavFormatError('block align', blockAlign, BYTES_PER_SAMPLE, path);
}

/** Decodes a whole WAV file held in memory to 8 kHz mono 16-bit samples; throws {@link WavFormatError}. */
export function parseWav(bytes: Uint8Array, path?: string): Int16Array {
  const { dataOffset, declaredDataBytes } = locateWavData(bytes, path);
  const available = bytes.byteLength - dataOffset;
  // A data size larger than the file is a recording cut off by a crash: repairWavFile fixes it.
  if (declaredDataBytes > available) throw new WavFormatError('data chunk size', declaredDataBytes, `at most ${available} (bytes present)`, path);
  if (declaredDataBytes % BYTES_PER_SAMPLE !== 0) throw new WavFormatError('data chunk size', declaredDataBytes, 'a multiple of 2', path);
  return bytesToPcm(bytes.subarray(dataOffset, dataOffset + declaredDataBytes));
}

/** Reads a WAV file of 8 kHz mono 16-bit PCM; other formats are refused (the prompt importer converts them). */
export async function readWavFile(path: string): Promise<Int16Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MediaFileError(path, 'read', error);
  }
  return parseWav(bytes, path);
}

/** Writes samples as a canonical 8 kHz mono 16-bit WAV file (replacing any file at `path`). */
export async function writeWavFile(path: string, samples: Int16Array): Promise<void> {
  const data = pcmToBytes(samples);
  try {
    await writeFile(path, Buffer.concat([wavHeader(data.length), data]));
  } catch (error) {
    throw new MediaFileError(path, 'write', error);
  }
}

/**
 * Rewrites the size fields of a WAV file whose header is stale — a recording cut off by a crash has
 * a placeholder (zero) data size: the audio is everything from the data chunk to the end of the
 * file (file size − 44 for openum's own files). A trailing odd byte (a torn sample) is cut. Returns
 * the number of samples the file now holds. The file is fsynced.
 */
export async function repairWavFile(path: string): Promise<number> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    throw new MediaFileError(path, 'open', error);
  }
  try {
    const { size } = await handle.stat();
    const probe = Buffer.alloc(Math.min(size, HEADER_PROBE_BYTES));
    await handle.read(probe, 0, probe.length, 0);
    const { dataOffset } = locateWavData(probe, path);
    let dataBytes = Math.max(0, size - dataOffset);
    if (dataBytes % BYTES_PER_SAMPLE !== 0) {
      dataBytes -= 1;
      await handle.truncate(dataOffset + dataBytes);
    }
    const fileSize = dataOffset + dataBytes;
    const field = Buffer.alloc(4);
    field.writeUInt32LE(fileSize - 8, 0);
    await handle.write(field, 0, 4, RIFF_SIZE_OFFSET);
    field.writeUInt32LE(dataBytes, 0);
    await handle.write(field, 0, 4, dataOffset - 4);
    await handle.sync();
    return dataBytes / BYTES_PER_SAMPLE;
  } catch (error) {
    if (error instanceof WavFormatError) throw error;
    throw new MediaFileError(path, 'repair', error);
  } finally {
    await handle.close();
  }
}

/** 16-bit samples as little-endian bytes (no copy on little-endian hosts). */
export function pcmToBytes(samples: Int16Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const bytes = Buffer.allocUnsafe(samples.length * BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * BYTES_PER_SAMPLE);
  return bytes;
}

/** Little-endian 16-bit bytes as samples (a copy; a trailing odd byte is ignored). */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const count = Math.floor(bytes.byteLength / BYTES_PER_SAMPLE);
  // Shared memory: prompts and messages read from files go to media threads, which then read them in
  // place instead of getting a copy (see sharedSamples).
  const samples = new Int16Array(new SharedArrayBuffer(count * BYTES_PER_SAMPLE));
  if (LITTLE_ENDIAN_HOST) {
    // Copy byte-wise into the (aligned) sample buffer: the source may sit at an odd offset.
    new Uint8Array(samples.buffer).set(bytes.subarray(0, count * BYTES_PER_SAMPLE));
    return samples;
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) samples[i] = view.readInt16LE(i * BYTES_PER_SAMPLE);
  return samples;
}
