import { spawn } from 'node:child_process';
import { unlink } from 'node:fs/promises';
import { AudioEncodingError, FfmpegUnavailableError } from './errors.js';
import type { StorageCodec } from './message-types.js';
import type { StorageFormat } from './storage-format.js';
import { STORAGE_FORMATS } from './storage-format.js';

/** The ffmpeg executable openum runs unless told otherwise (Debian package `ffmpeg`). */
export const DEFAULT_FFMPEG_PATH = 'ffmpeg';

const STDERR_LIMIT = 8 * 1024;

/** How an ffmpeg run ended. */
interface FfmpegRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs ffmpeg with `args`; never rejects for a non-zero exit (the caller judges), only for spawn failures. */
function runFfmpeg(ffmpegPath: string, args: readonly string[], timeoutMs: number): Promise<FfmpegRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 1024 * 1024) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Only the tail matters (the error is printed last).
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Checks, at start-up, that ffmpeg exists and has the encoders the configured codecs need; throws
 * {@link FfmpegUnavailableError} naming the Debian package otherwise. No-op when every codec is G711.
 */
export async function checkFfmpeg(codecs: readonly StorageCodec[], ffmpegPath: string = DEFAULT_FFMPEG_PATH): Promise<void> {
  const needing = codecs.filter((c) => STORAGE_FORMATS[c].encoder !== undefined);
  if (needing.length === 0) return;
  const encoders = needing.map((c) => STORAGE_FORMATS[c].encoder!);
  let run: FfmpegRun;
  try {
    run = await runFfmpeg(ffmpegPath, ['-hide_banner', '-encoders'], 30_000);
  } catch (error) {
    throw new FfmpegUnavailableError(needing, encoders, `${ffmpegPath} cannot be run (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  if (run.code !== 0) throw new FfmpegUnavailableError(needing, encoders, `${ffmpegPath} -encoders exited with ${run.code ?? run.signal}`);
  // Lines look like " A....D libmp3lame           libmp3lame MP3 (MPEG audio layer 3)".
  const available = new Set(run.stdout.split('\n').map((line) => line.trim().split(/\s+/)[1]).filter((n): n is string => n !== undefined));
  const missing = encoders.filter((e) => !available.has(e));
  if (missing.length > 0) {
    throw new FfmpegUnavailableError(needing.filter((c) => missing.includes(STORAGE_FORMATS[c].encoder!)), missing, `${ffmpegPath} has no encoder ${missing.join(', ')}`);
  }
}

/** Options of {@link encodeAudio} and {@link decodeToWav}. */
export interface FfmpegOptions {
  /** The executable. Default `ffmpeg`. */
  ffmpegPath?: string;
  /** Kill ffmpeg after this long, ms. Default 10 min (a 100-minute message encodes in seconds). */
  timeoutMs?: number;
}

/** Encodes the 8 kHz PCM WAV `input` into `output` (not fsynced: the caller commits it). */
export async function encodeAudio(input: string, output: string, format: StorageFormat, options: FfmpegOptions = {}): Promise<void> {
  await transcode(input, output, ['-map_metadata', '-1', ...format.ffmpegOutput], options);
}

/** Decodes any stored message to an 8 kHz mono 16-bit PCM WAV file (for `openum mailbox play`). */
export async function decodeToWav(input: string, output: string, options: FfmpegOptions = {}): Promise<void> {
  await transcode(input, output, ['-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', '-f', 'wav'], options);
}

async function transcode(input: string, output: string, outputArgs: readonly string[], options: FfmpegOptions): Promise<void> {
  const ffmpegPath = options.ffmpegPath ?? DEFAULT_FFMPEG_PATH;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', input, ...outputArgs, output];
  let run: FfmpegRun;
  try {
    run = await runFfmpeg(ffmpegPath, args, options.timeoutMs ?? 10 * 60_000);
  } catch (error) {
    throw new AudioEncodingError(input, `cannot run ${ffmpegPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, error);
  }
  if (run.code !== 0) {
    await unlink(output).catch(() => undefined);
    throw new AudioEncodingError(input, `ffmpeg exited with ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}
