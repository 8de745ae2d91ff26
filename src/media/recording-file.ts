import { open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MediaArgumentError, MediaFileError, MediaStateError, RecordingRecoveryError, WavFormatError } from './errors.js';
import { G711_SAMPLE_RATE } from './g711.js';
import type { RecordingSink } from './recorder.js';
import { pcmToBytes, repairWavFile, WAV_HEADER_LENGTH, wavHeader } from './wav-file.js';

/** Suffix of a recording still being written; {@link recoverPartialRecordings} finishes those left by a crash. */
export const PARTIAL_SUFFIX = '.partial';

const BYTES_PER_SAMPLE = 2;

/** Options of {@link RecordingFile.create}. */
export interface RecordingFileOptions {
  /** Audio gathered before one write(2), ms. Default 200. */
  batchMs?: number;
  /** Audio between fsyncs, ms. Default 1000. */
  syncIntervalMs?: number;
  /** Told of the first write failure as it happens (`close()` rejects with it too), to log it early. */
  onError?: (error: MediaFileError) => void;
  /** Told each time the file is durable up to `samples` (after an fsync). */
  onSync?: (samples: number) => void;
}

/** Counters of a {@link RecordingFile}. */
export interface RecordingFileStats {
  /** Samples accepted by `write` (after any trim). */
  samples: number;
  /** Samples handed to the operating system. */
  writtenSamples: number;
  /** Samples known to be on disk (covered by an fsync). */
  syncedSamples: number;
  /** write(2) calls for audio. */
  writes: number;
  /** fsync calls. */
  syncs: number;
}

type FileState = 'open' | 'closing' | 'closed' | 'discarded';

/**
 * A recording streamed to `<path>.partial` as a WAV file, committed to `<path>` by `close()`.
 *
 * The header is written first with a placeholder (zero) size and fixed on commit; audio is batched
 * into ~`batchMs` writes at explicit positions, and fsynced every ~`syncIntervalMs` of audio. The
 * fsync runs beside the writes, not in front of them, so a slow fsync does not hold audio in memory.
 *
 * Loss bound. If the process dies (`kill -9`, a crash), the kernel keeps what was written, so only
 * what is still in this process is lost: the batch being filled (under `batchMs`, 200 ms of audio)
 * plus writes handed to the thread pool but not yet done (normally none; more only if the disk
 * stalls). If the machine itself fails, audio after the last completed fsync is lost too: at most
 * `syncIntervalMs + batchMs` (about 1.2 s) of what was received, plus the duration of the fsync
 * under way. Either way {@link recoverPartialRecordings} then repairs the header from the file size.
 */
export class RecordingFile implements RecordingSink {
  /** Where the committed recording will be. */
  readonly path: string;
  /** Where it is written meanwhile. */
  readonly partialPath: string;
  private readonly handle: FileHandle;
  private readonly batchBytes: number;
  private readonly syncSamples: number;
  private readonly onError: ((error: MediaFileError) => void) | undefined;
  private readonly onSync: ((samples: number) => void) | undefined;
  private state: FileState = 'open';
  private pending: Buffer;
  private pendingLength = 0;
  /** Samples accepted, i.e. handed to the chain plus those pending. */
  private acceptedSamples = 0;
  /** Byte position of the next write handed to the chain. */
  private writePosition = WAV_HEADER_LENGTH;
  private samplesSinceSync = 0;
  private writtenSamples = 0;
  private syncedSamples = 0;
  private writes = 0;
  private syncs = 0;
  /** Writes and truncations run one after another, in the order they were asked for. Never rejects. */
  private chain: Promise<void> = Promise.resolve();
  /** The latest fsync asked for. Never rejects. Off the chain: writes go on while the disk syncs. */
  private syncing: Promise<void> = Promise.resolve();
  private failure: MediaFileError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(path: string, handle: FileHandle, options: RecordingFileOptions) {
    this.path = path;
    this.partialPath = path + PARTIAL_SUFFIX;
    this.handle = handle;
    const batchMs = options.batchMs ?? 200;
    const syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.batchBytes = Math.max(BYTES_PER_SAMPLE, Math.round((batchMs * G711_SAMPLE_RATE) / 1000) * BYTES_PER_SAMPLE);
    this.syncSamples = Math.max(1, Math.round((syncIntervalMs * G711_SAMPLE_RATE) / 1000));
    this.onError = options.onError;
    this.onSync = options.onSync;
    this.pending = Buffer.allocUnsafe(this.batchBytes);
  }

  /**
   * Creates `<path>.partial` (failing if it exists: two recordings must never share a path) with a
   * placeholder header, fsynced so a crash always leaves a readable header.
   */
  static async create(path: string, options: RecordingFileOptions = {}): Promise<RecordingFile> {
    if (!(options.batchMs === undefined || options.batchMs > 0) || !(options.syncIntervalMs === undefined || options.syncIntervalMs > 0)) {
      throw new MediaArgumentError(`recording batch ${options.batchMs} ms / sync interval ${options.syncIntervalMs} ms`);
    }
    const partialPath = path + PARTIAL_SUFFIX;
    let handle: FileHandle;
    try {
      handle = await open(partialPath, 'wx');
    } catch (error) {
      throw new MediaFileError(partialPath, 'create', error);
    }
    try {
      await writeFully(handle, wavHeader(0), 0);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(partialPath).catch(() => undefined);
      throw new MediaFileError(partialPath, 'write header of', error);
    }
    return new RecordingFile(path, handle, options);
  }

  /** Samples recorded (after any trim). */
  get samples(): number {
    return this.acceptedSamples;
  }

  /** The first write failure, if any (then later audio is dropped and `close()` rejects). */
  get error(): MediaFileError | undefined {
    return this.failure;
  }

  /** A copy of the counters. */
  get stats(): RecordingFileStats {
    return {
      samples: this.acceptedSamples,
      writtenSamples: this.writtenSamples,
      syncedSamples: this.syncedSamples,
      writes: this.writes,
      syncs: this.syncs,
    };
  }

  /** Appends samples; they reach the disk in batches. Throws {@link MediaStateError} after close/discard. */
  write(samples: Int16Array): void {
    if (this.state !== 'open') throw new MediaStateError(`recording ${this.path} is ${this.state}`);
    const bytes = pcmToBytes(samples);
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, this.batchBytes - this.pendingLength);
      bytes.copy(this.pending, this.pendingLength, offset, offset + take);
      this.pendingLength += take;
      offset += take;
      if (this.pendingLength === this.batchBytes) this.handOff();
    }
    this.acceptedSamples += samples.length;
  }

  /** Writes what is pending and fsyncs; resolves when everything written so far is on disk. */
  async flush(): Promise<void> {
    this.assertOpen();
    this.handOff();
    await this.requestSync();
    if (this.failure) throw this.failure;
  }

  /**
   * Cuts the recording to its first `samples` samples (trailing silence that ended it); later writes
   * continue from there. No effect if it is already that short.
   */
  async trimTo(samples: number): Promise<void> {
    this.assertOpen();
    if (!Number.isInteger(samples) || samples < 0) throw new MediaArgumentError(`trim to ${samples} samples`);
    if (samples >= this.acceptedSamples) return;
    this.handOff();
    const length = WAV_HEADER_LENGTH + samples * BYTES_PER_SAMPLE;
    this.acceptedSamples = samples;
    this.writePosition = length;
    this.enqueue('truncate', async () => {
      // An fsync under way counts samples that are about to go.
      await this.syncing;
      await this.handle.truncate(length);
      this.writtenSamples = Math.min(this.writtenSamples, samples);
      this.syncedSamples = Math.min(this.syncedSamples, samples);
    });
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /**
   * Commits: writes the remaining audio and the real header, fsyncs, renames `<path>.partial` to
   * `<path>` and fsyncs the directory. Idempotent (later calls return the same promise). On failure
   * the `.partial` file stays for recovery and the promise rejects with {@link MediaFileError}.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.state === 'discarded') return Promise.reject(new MediaStateError(`recording ${this.path} was discarded`));
    this.handOff();
    this.state = 'closing';
    this.closing = this.commit();
    return this.closing;
  }

  /** Abandons the recording (too short to keep): closes and deletes `<path>.partial`. Idempotent. */
  async discard(): Promise<void> {
    if (this.state === 'discarded') return;
    if (this.state !== 'open') throw new MediaStateError(`recording ${this.path} is ${this.state}`);
    this.state = 'discarded';
    await this.chain;
    await this.syncing;
    await this.handle.close().catch(() => undefined);
    try {
      await unlink(this.partialPath);
    } catch (error) {
      throw new MediaFileError(this.partialPath, 'delete', error);
    }
  }

  private async commit(): Promise<void> {
    const samples = this.acceptedSamples;
    this.enqueue('commit', async () => {
      await this.syncing;
      await writeFully(this.handle, wavHeader(samples * BYTES_PER_SAMPLE), 0);
      await this.handle.sync();
      this.syncs++;
      this.syncedSamples = samples;
    });
    await this.chain;
    await this.handle.close().catch((error: unknown) => this.fail('close', error));
    if (!this.failure) {
      try {
        await rename(this.partialPath, this.path);
      } catch (error) {
        this.fail('rename', error);
      }
    }
    if (!this.failure) {
      // Renamed but perhaps not durable yet: reported, since a power cut could still undo the commit.
      await syncDirectory(dirname(this.path)).catch((error: unknown) => this.fail('fsync the directory of', error));
    }
    this.state = 'closed';
    if (this.failure) throw this.failure;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new MediaStateError(`recording ${this.path} is ${this.state}`);
  }

  /** Hands the pending batch to the write chain, and an fsync when a sync interval has filled. */
  private handOff(): void {
    if (this.pendingLength === 0) return;
    const batch = this.pending.subarray(0, this.pendingLength);
    const position = this.writePosition;
    const batchSamples = this.pendingLength / BYTES_PER_SAMPLE;
    this.writePosition += this.pendingLength;
    this.pending = Buffer.allocUnsafe(this.batchBytes);
    this.pendingLength = 0;
    this.enqueue('write', async () => {
      await writeFully(this.handle, batch, position);
      this.writes++;
      this.writtenSamples = (position - WAV_HEADER_LENGTH) / BYTES_PER_SAMPLE + batchSamples;
    });
    this.samplesSinceSync += batchSamples;
    if (this.samplesSinceSync >= this.syncSamples) void this.requestSync();
  }

  /**
   * An fsync after the writes handed off so far (it covers only completed writes) and after the
   * previous fsync; later writes do not wait for it. Resolves when done; never rejects.
   */
  private requestSync(): Promise<void> {
    this.samplesSinceSync = 0;
    const written = this.chain;
    const previous = this.syncing;
    this.syncing = Promise.all([written, previous]).then(async () => {
      if (this.failure || this.state === 'discarded') return;
      const covered = this.writtenSamples;
      try {
        await this.handle.sync();
      } catch (error) {
        this.fail('fsync', error);
        return;
      }
      this.syncs++;
      this.syncedSamples = covered;
      this.onSync?.(covered);
    });
    return this.syncing;
  }

  private enqueue(operation: string, run: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await run();
      } catch (error) {
        this.fail(operation, error);
      }
    });
  }

  private fail(operation: string, error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof MediaFileError ? error : new MediaFileError(this.partialPath, operation, error);
    this.onError?.(this.failure);
  }
}

/** A recording finished by {@link recoverPartialRecordings}. */
export interface RecoveredRecording {
  /** The committed path (without `.partial`). */
  path: string;
  /** Samples it holds. */
  samples: number;
}

/**
 * Finishes the `*.partial` recordings a crash left in `dir` (not its sub-folders): repairs each
 * header from the file size and renames it to its final name. Run it at start-up, before any
 * recording starts in `dir`. A file that cannot be recovered stays as it is; after trying every file,
 * failures are thrown together as {@link RecordingRecoveryError} (which lists the recovered too).
 */
export async function recoverPartialRecordings(dir: string): Promise<RecoveredRecording[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new MediaFileError(dir, 'list', error);
  }
  const recovered: RecoveredRecording[] = [];
  const failures: { path: string; error: unknown }[] = [];
  for (const name of names.filter((n) => n.endsWith(PARTIAL_SUFFIX)).sort()) {
    const partialPath = join(dir, name);
    const path = partialPath.slice(0, -PARTIAL_SUFFIX.length);
    try {
      const info = await stat(partialPath);
      if (!info.isFile()) continue;
      const samples = info.size < WAV_HEADER_LENGTH ? await rewriteEmpty(partialPath) : await repairWavFile(partialPath);
      await rename(partialPath, path);
      recovered.push({ path, samples });
    } catch (error) {
      failures.push({ path: partialPath, error: error instanceof WavFormatError || error instanceof MediaFileError ? error : new MediaFileError(partialPath, 'recover', error) });
    }
  }
  if (recovered.length > 0) {
    try {
      await syncDirectory(dir);
    } catch (error) {
      failures.push({ path: dir, error: new MediaFileError(dir, 'fsync', error) });
    }
  }
  if (failures.length > 0) throw new RecordingRecoveryError(recovered, failures);
  return recovered;
}

/** A crash while the header itself was written: nothing was recorded yet, so an empty WAV is the truth. */
async function rewriteEmpty(path: string): Promise<number> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(0);
    await writeFully(handle, wavHeader(0), 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return 0;
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  // Regular files take a whole write at once; the loop covers the short writes POSIX allows.
  for (let guard = 0; done < bytes.length && guard < 1000; guard++) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
  if (done < bytes.length) throw new Error(`short write: ${done} of ${bytes.length} bytes`);
}

/** Makes a rename durable (POSIX: the directory entry is data of the directory). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    // Windows cannot open a directory this way; renames there are durable by other means.
    if (isCode(error, 'EISDIR') || isCode(error, 'EPERM')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isCode(error, 'EINVAL') && !isCode(error, 'EPERM')) throw error;
  } finally {
    await handle.close();
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
