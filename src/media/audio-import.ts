import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MediaFileError } from './errors.js';
import { G711_SAMPLE_RATE } from './g711.js';
import { AudioDecodeError, FfmpegMissingError } from './prompt-errors.js';
import { repairWavFile, wavHeader } from './wav-file.js';

/** Options of {@link importAudioFile}. */
export interface ImportAudioOptions {
  /** The ffmpeg command. Default `$FFMPEG_PATH` (fluent-ffmpeg's convention), else `ffmpeg` on the PATH. */
  ffmpegPath?: string;
}

/** What {@link importAudioFile} stored. */
export interface ImportedAudio {
  /** The file written. */
  path: string;
  /** Samples at 8 kHz. */
  samples: number;
  /** Duration in ms. */
  durationMs: number;
}

// Enough of ffmpeg's complaint to say why a file was refused, not a whole log.
const MAX_STDERR = 4096;

/**
 * Converts any audio ffmpeg can decode to openum's prompt format (8 kHz mono 16-bit PCM, canonical
 * WAV header) and stores it at `destination` durably: written to a temporary file beside it, fsynced,
 * renamed over the destination, directory fsynced — a crash leaves the old prompt or the new one,
 * never half of one. Throws {@link FfmpegMissingError}, {@link AudioDecodeError} or MediaFileError.
 */
export async function importAudioFile(input: string, destination: string, options: ImportAudioOptions = {}): Promise<ImportedAudio> {
  const ffmpeg = options.ffmpegPath ?? process.env['FFMPEG_PATH'] ?? 'ffmpeg';
  const directory = dirname(destination);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new MediaFileError(directory, 'create', error);
  }
  const temporary = join(directory, `.${basename(destination)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await decodeTo(ffmpeg, input, temporary);
    // ffmpeg streamed raw samples after a placeholder header: write the real sizes and fsync.
    const samples = await repairWavFile(temporary);
    if (samples === 0) throw new AudioDecodeError(input, 'no audio samples');
    try {
      await rename(temporary, destination);
    } catch (error) {
      throw new MediaFileError(destination, 'rename', error);
    }
    await syncDirectory(directory);
    return { path: destination, samples, durationMs: (samples * 1000) / G711_SAMPLE_RATE };
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Runs ffmpeg with raw s16le on stdout into `temporary` (after a placeholder header). */
async function decodeTo(ffmpeg: string, input: string, temporary: string): Promise<void> {
  const child = spawn(
    ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', input, '-vn', '-ac', '1', '-ar', String(G711_SAMPLE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < MAX_STDERR) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const out = createWriteStream(temporary, { flags: 'wx' });
  out.write(wavHeader(0));
  const written = pipeline(child.stdout, out);
  // Handled below, after the exit; without this a write failure during the wait is "unhandled".
  written.catch(() => undefined);
  let code: number | null;
  try {
    code = await exited;
  } catch (error) {
    out.destroy();
    await written.catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES') throw new FfmpegMissingError(ffmpeg, error);
    throw new MediaFileError(input, `run ${ffmpeg} on`, error);
  }
  try {
    await written;
  } catch (error) {
    throw new MediaFileError(temporary, 'write', error);
  }
  if (code !== 0) {
    const reason = stderr.trim().split('\n').slice(-3).join(' / ') || `ffmpeg exited with ${String(code)}`;
    throw new AudioDecodeError(input, reason, code ?? undefined);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename itself durable; some file systems refuse to fsync a directory, which is harmless.
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on file systems without directory fsync.
  } finally {
    await handle.close();
  }
}
