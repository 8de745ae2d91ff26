import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OpenumConfiguration, UMMailbox } from '../config/index.js';
import { Directory } from '../directory/index.js';
import { OpenumError } from '../errors.js';
import { copyFileDurably, commitFile, isErrorCode, removeFile, syncDirectory, temporaryPathFor, TEMPORARY_SUFFIX } from './durable-file.js';
import { AudioEncodingError, MailboxArgumentError, MailboxFileError, MailboxStateError } from './errors.js';
import { checkFfmpeg, DEFAULT_FFMPEG_PATH, encodeAudio } from './ffmpeg.js';
import { MailboxPaths } from './mailbox-paths.js';
import type { MessageSidecar } from './message-sidecar.js';
import { readSidecar, writeSidecar } from './message-sidecar.js';
import type { MessageStore, StoreTransaction } from './message-store.js';
import type { NewMessage, StorageCodec, StoredMessage, GreetingKind } from './message-types.js';
import { PendingMessage } from './pending-message.js';
import { purgeMessages } from './purge-messages.js';
import type { MessageRecordingFiles } from './recording-port.js';
import { RECORDING_HEADER_BYTES, RECORDING_SAMPLE_RATE } from './recording-port.js';
import { storageCodecsInUse, STORAGE_FORMATS } from './storage-format.js';
import { WorkQueue } from './work-queue.js';

/** Recovered recordings shorter than this are dropped (no silence measure survives a crash: total audio counts). */
export const MIN_RECOVERED_MS = 1000;

/** Options of {@link MailboxService.create}. */
export interface MailboxServiceOptions {
  /** The configuration (DataDirectory, mailboxes, dial plans). */
  configuration: OpenumConfiguration;
  /** The open message store. The service does not close it. */
  store: MessageStore;
  /** Recording files (media's RecordingFile and recoverPartialRecordings). */
  recordings: MessageRecordingFiles;
  /** Directory built from the configuration; built here when absent. */
  directory?: Directory;
  /** Encodings run at once. Default 2. */
  encodingConcurrency?: number;
  /** ffmpeg executable. Default `ffmpeg` on the PATH. */
  ffmpegPath?: string;
  /** Delivery attempts per message before leaving it to start-up recovery. Default 3. */
  deliveryAttempts?: number;
  /** Wait before the n-th retry: n × this, ms. Default 2000. */
  retryDelayMs?: number;
  /**
   * Runs inside the transaction that inserts a message row (the e-mail outbox enqueues here); if it
   * throws, the message is not delivered and the attempt is retried.
   */
  inDeliveryTransaction?: (message: NewMessage, tx: StoreTransaction) => Promise<void> | void;
  /** Told after each message is delivered (MWI update). Errors it throws are logged. */
  onMessageDelivered?: (message: StoredMessage) => void;
  logger?: Logger;
  /** Clock for received times. */
  now?: () => Date;
  /** Message ids (UUIDs). */
  newId?: () => string;
}

/** What {@link MailboxService.beginMessage} needs to know about the call. */
export interface BeginMessageOptions {
  /** Alias of the mailbox the message is for. */
  mailbox: string;
  /** The AudioCodec of the dial plan the call came in on; the mailbox's CallAnsweringAudioCodec overrides it. */
  dialPlanCodec: StorageCodec;
  /** E.164 number or SIP URI of the caller; null when anonymous. */
  caller: string | null;
  /** The resolved caller name (spec §5), if any. */
  callerName?: string | null;
  /** SIP Call-ID. */
  callId?: string | null;
}

/** What {@link MailboxService.recover} did. */
export interface RecoveryReport {
  /** Messages delivered by this recovery (recordings cut off by a crash, and masters never encoded). */
  delivered: StoredMessage[];
  /** Ids of recordings dropped as too short, or sidecars without audio. */
  dropped: string[];
  /** Recordings that still could not be delivered (kept for the next start). */
  failed: { id: string; error: unknown }[];
}

interface DeliveryJob {
  sidecar: MessageSidecar;
  masterPath: string;
  sidecarPath: string;
}

/**
 * The mailbox: takes recordings from call applications and makes them delivered messages.
 *
 * A message goes: sidecar (fsynced) → recording streamed to `spool/<mailbox>/<id>.wav.partial` →
 * commit (trim, fsync, rename to the lossless master `<id>.wav`) → encode to the storage codec in a
 * bounded pool, off the call path → fsync + rename to `messages/<mailbox>/<id>.<ext>` → row inserted
 * (delivered: spec §4) → master and sidecar deleted. Every step is repeatable, so a crash anywhere
 * is repaired by {@link recover} at the next start.
 */
export class MailboxService {
  /** The store (for listing, marking and counting messages). */
  readonly store: MessageStore;
  /** Where files are. */
  readonly paths: MailboxPaths;
  private readonly directory: Directory;
  private readonly recordings: MessageRecordingFiles;
  private readonly queue: WorkQueue;
  private readonly ffmpegPath: string;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly inDeliveryTransaction: MailboxServiceOptions['inDeliveryTransaction'];
  private readonly onMessageDelivered: MailboxServiceOptions['onMessageDelivered'];
  private readonly logger: Logger | undefined;
  private readonly now: () => Date;
  private readonly newId: () => string;
  /** Deliveries under way, by id: recovery must not start a second one beside a live one. */
  private readonly deliveries = new Map<string, Promise<StoredMessage>>();
  private closed = false;

  private constructor(options: MailboxServiceOptions) {
    this.store = options.store;
    this.paths = new MailboxPaths(options.configuration.Server.DataDirectory);
    this.directory = options.directory ?? new Directory(options.configuration);
    this.recordings = options.recordings;
    this.queue = new WorkQueue(options.encodingConcurrency ?? 2);
    this.ffmpegPath = options.ffmpegPath ?? DEFAULT_FFMPEG_PATH;
    this.attempts = Math.max(1, options.deliveryAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 2000;
    this.inDeliveryTransaction = options.inDeliveryTransaction;
    this.onMessageDelivered = options.onMessageDelivered;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Checks that ffmpeg can write every storage codec the configuration uses (throws
   * `FfmpegUnavailableError` naming the Debian package otherwise), creates the folders, and returns
   * the service. Call {@link recover} next, before taking calls.
   */
  static async create(options: MailboxServiceOptions): Promise<MailboxService> {
    await checkFfmpeg(storageCodecsInUse(options.configuration), options.ffmpegPath ?? DEFAULT_FFMPEG_PATH);
    const service = new MailboxService(options);
    for (const dir of [service.paths.spoolRoot, service.paths.messagesRoot]) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw new MailboxFileError(dir, 'create', error);
      }
    }
    return service;
  }

  /** Encoding pool counters. */
  get encodingStats(): { running: number; waiting: number; done: number } {
    return this.queue.stats;
  }

  /** The configured mailbox with this alias (case-insensitive); throws {@link MailboxArgumentError}. */
  mailbox(alias: string): UMMailbox {
    const mailbox = this.directory.findMailbox(alias);
    if (!mailbox) throw new MailboxArgumentError(`no UM mailbox with alias "${alias}"`);
    return mailbox;
  }

  /** The absolute path of a message's audio file. */
  audioFilePath(message: Pick<StoredMessage, 'audioPath'>): string {
    return this.paths.resolve(message.audioPath);
  }

  /**
   * The file of a mailbox's greeting or recorded name, when one is stored and its file can be read
   * (a file removed behind the store's back counts as no greeting: callers then hear the system one).
   */
  async greetingFile(alias: string, kind: GreetingKind): Promise<string | undefined> {
    const greeting = await this.store.getGreeting(this.mailbox(alias).Alias, kind);
    if (!greeting) return undefined;
    const path = this.paths.resolve(greeting.audioPath);
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Starts a message: writes the sidecar (fsynced, before any audio, so a crash can still deliver the
   * recording to the right mailbox) and creates the recording in the spool. The caller records into
   * `sink`, then calls `commit(result)` or `discard()`.
   */
  async beginMessage(options: BeginMessageOptions): Promise<PendingMessage> {
    if (this.closed) throw new MailboxStateError('the mailbox service is closed');
    const mailbox = this.mailbox(options.mailbox);
    const id = this.newId();
    const codec = mailbox.CallAnsweringAudioCodec ?? options.dialPlanCodec;
    const sidecar: MessageSidecar = {
      version: 1,
      id,
      mailbox: mailbox.Alias,
      caller: options.caller,
      callerName: options.callerName ?? null,
      callId: options.callId ?? null,
      receivedAt: this.now().toISOString(),
      codec,
    };
    const folder = this.paths.spoolFolder(mailbox.Alias);
    const sidecarPath = this.paths.sidecarPath(mailbox.Alias, id);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new MailboxFileError(folder, 'create', error);
    }
    await writeSidecar(sidecarPath, sidecar);
    let recording;
    try {
      recording = await this.recordings.create(this.paths.masterPath(mailbox.Alias, id));
    } catch (error) {
      await removeFile(sidecarPath).catch(() => undefined);
      throw error;
    }
    return new PendingMessage({
      id,
      mailbox: mailbox.Alias,
      codec,
      recording,
      sidecarPath,
      context: { deliver: () => this.deliver({ sidecar, sidecarPath, masterPath: recording.path }), logger: this.logger },
    });
  }

  /** Whether the mailbox has reached its ProhibitSendReceiveQuota (then it takes no new messages). */
  async isOverQuota(alias: string): Promise<boolean> {
    const mailbox = this.mailbox(alias);
    const quota = mailbox.ProhibitSendReceiveQuota;
    if (quota === 'Unlimited') return false;
    return (await this.store.mailboxSize(mailbox.Alias)) >= quota;
  }

  /** Soft-deletes a message of this mailbox; false if there is none. Its file goes at the next purge. */
  async deleteMessage(alias: string, id: string): Promise<boolean> {
    const message = await this.store.getMessage(id);
    if (!message || message.mailbox !== this.mailbox(alias).Alias) return false;
    return this.store.setMessageState(message.id, 'deleted');
  }

  /** Removes up to `limit` soft-deleted messages (files, then rows) for good. Returns how many. */
  async purgeDeleted(limit = 1000): Promise<number> {
    return purgeMessages(this.store, this.paths, await this.store.listDeletedMessages(limit));
  }

  /**
   * Start-up recovery, before any call: recordings cut off by a crash are repaired and delivered
   * flagged `recovered` (kept when they hold at least {@link MIN_RECOVERED_MS} of audio: the silence
   * measure died with the process, and a caller cut off mid-message has usually said something);
   * masters committed but never encoded are encoded; leftovers of interrupted writes are removed.
   * Idempotent: a crash during recovery is repaired by the next one.
   */
  async recover(): Promise<RecoveryReport> {
    const report: RecoveryReport = { delivered: [], dropped: [], failed: [] };
    await this.removeTemporaryFiles();
    const jobs: Promise<void>[] = [];
    for (const folder of await listFolders(this.paths.spoolRoot)) {
      const dir = join(this.paths.spoolRoot, folder);
      const names = await listNames(dir);
      const partial = new Set(names.filter((n) => n.endsWith('.wav.partial')).map((n) => n.slice(0, -'.wav.partial'.length)));
      for (const name of names) {
        if (name.endsWith(TEMPORARY_SUFFIX)) await removeFile(join(dir, name));
      }
      const sidecars = names.filter((n) => n.endsWith('.json'));
      // Mark before repairing: once renamed, a cut-off recording looks like a committed master.
      for (const name of sidecars) {
        const id = name.slice(0, -'.json'.length);
        if (!partial.has(id) || this.deliveries.has(id)) continue;
        const path = join(dir, name);
        const sidecar = await readSidecar(path);
        if (sidecar && !sidecar.recovered) await writeSidecar(path, { ...sidecar, recovered: true });
      }
      if (partial.size > 0) await this.recoverPartial(dir);
      for (const name of sidecars) {
        const id = name.slice(0, -'.json'.length);
        if (this.deliveries.has(id)) continue;
        jobs.push(this.recoverOne(dir, id, report));
      }
    }
    await Promise.all(jobs);
    return report;
  }

  /** Waits for deliveries under way, then refuses new messages. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.idle();
    await Promise.allSettled([...this.deliveries.values()]);
  }

  private async recoverPartial(dir: string): Promise<void> {
    try {
      await this.recordings.recoverPartial(dir);
    } catch (error) {
      // Media's RecordingRecoveryError: some files were repaired, some not; the others go on.
      this.logger?.error({ err: error, dir }, 'some partial recordings could not be repaired; they stay in the spool');
      if (!(error instanceof OpenumError) || !('recovered' in error)) throw error;
    }
  }

  private async recoverOne(dir: string, id: string, report: RecoveryReport): Promise<void> {
    const sidecarPath = join(dir, `${id}.json`);
    try {
      const sidecar = await readSidecar(sidecarPath);
      if (!sidecar) return;
      if (sidecar.id !== id) throw new MailboxFileError(sidecarPath, 'check', new Error(`it names message ${sidecar.id}`));
      const masterPath = join(dir, `${id}.wav`);
      const samples = await masterSamples(masterPath);
      const existing = await this.store.getMessage(sidecar.id);
      if (samples === undefined && !existing) {
        // A sidecar without audio: a discard or a create cut short. Nothing to deliver.
        if (!(await pathExists(masterPath + '.partial'))) {
          await removeFile(sidecarPath);
          report.dropped.push(id);
        }
        return;
      }
      if (!existing && sidecar.recovered && samples !== undefined && (samples * 1000) / RECORDING_SAMPLE_RATE < MIN_RECOVERED_MS) {
        this.logger?.info({ messageId: id, mailbox: sidecar.mailbox, samples }, 'recovered recording under 1 s: dropped');
        await removeFile(masterPath);
        await removeFile(sidecarPath);
        report.dropped.push(id);
        return;
      }
      const message = await this.deliver({ sidecar, sidecarPath, masterPath });
      report.delivered.push(message);
    } catch (error) {
      this.logger?.error({ err: error, messageId: id }, 'recovery could not deliver a message; it stays in the spool');
      report.failed.push({ id, error });
    }
  }

  /** Queues the delivery of a master, once per id; retries with back-off. */
  private deliver(job: DeliveryJob): Promise<StoredMessage> {
    const running = this.deliveries.get(job.sidecar.id);
    if (running) return running;
    const delivery = this.queue
      .run(() => this.deliverWithRetries(job))
      .finally(() => this.deliveries.delete(job.sidecar.id));
    this.deliveries.set(job.sidecar.id, delivery);
    return delivery;
  }

  private async deliverWithRetries(job: DeliveryJob): Promise<StoredMessage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deliverOnce(job);
      } catch (error) {
        if (attempt >= this.attempts) throw error;
        this.logger?.warn({ err: error, messageId: job.sidecar.id, attempt }, 'message delivery failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
  }

  private async deliverOnce({ sidecar, sidecarPath, masterPath }: DeliveryJob): Promise<StoredMessage> {
    const existing = await this.store.getMessage(sidecar.id);
    if (existing) {
      // Delivered before a crash that came before the clean-up.
      await this.removeSpooled(masterPath, sidecarPath);
      return existing;
    }
    const samples = await masterSamples(masterPath);
    if (samples === undefined) throw new MailboxFileError(masterPath, 'read', new Error('the lossless master is missing'));
    const format = STORAGE_FORMATS[sidecar.codec];
    const audioPath = this.paths.messageAudioPath(sidecar.mailbox, sidecar.id, format.extension);
    const target = this.paths.resolve(audioPath);
    try {
      await mkdir(this.paths.messageFolder(sidecar.mailbox), { recursive: true });
    } catch (error) {
      throw new MailboxFileError(this.paths.messageFolder(sidecar.mailbox), 'create', error);
    }
    if (format.encoder === undefined) {
      await copyFileDurably(masterPath, target);
    } else {
      const temporary = temporaryPathFor(target);
      try {
        await encodeAudio(masterPath, temporary, format, { ffmpegPath: this.ffmpegPath });
        await commitFile(temporary, target);
      } catch (error) {
        await removeFile(temporary).catch(() => undefined);
        throw error instanceof OpenumError ? error : new AudioEncodingError(masterPath, String(error), error);
      }
    }
    const sizeBytes = (await statFile(target)).size;
    const message: NewMessage = {
      id: sidecar.id,
      mailbox: sidecar.mailbox,
      caller: sidecar.caller,
      callerName: sidecar.callerName,
      receivedAt: new Date(sidecar.receivedAt),
      durationMs: Math.round((samples * 1000) / RECORDING_SAMPLE_RATE),
      codec: sidecar.codec,
      audioPath,
      sizeBytes,
      urgent: false,
      recovered: sidecar.recovered === true,
      callId: sidecar.callId,
    };
    const hook = this.inDeliveryTransaction;
    const { message: stored, inserted } = await this.store.commitMessage(message, {
      alsoInTransaction: hook ? (tx) => hook(message, tx) : undefined,
    });
    // Delivered. The master goes only now, after the encoded file and the row are both durable.
    await this.removeSpooled(masterPath, sidecarPath);
    this.logger?.info({ messageId: stored.id, mailbox: stored.mailbox, durationMs: stored.durationMs, codec: stored.codec, recovered: stored.recovered }, 'voice message delivered');
    if (inserted && this.onMessageDelivered) {
      try {
        this.onMessageDelivered(stored);
      } catch (error) {
        this.logger?.error({ err: error, messageId: stored.id }, 'onMessageDelivered threw');
      }
    }
    return stored;
  }

  private async removeSpooled(masterPath: string, sidecarPath: string): Promise<void> {
    await removeFile(masterPath);
    await removeFile(sidecarPath);
    await syncDirectory(join(masterPath, '..'));
  }

  /** Encoder output a crash left half-written (`<id>.<ext>.<random>.tmp`) in the message folders. */
  private async removeTemporaryFiles(): Promise<void> {
    for (const folder of await listFolders(this.paths.messagesRoot)) {
      const dir = join(this.paths.messagesRoot, folder);
      for (const name of await listNames(dir)) if (name.endsWith(TEMPORARY_SUFFIX)) await removeFile(join(dir, name));
    }
  }
}

/** Samples in a lossless master (openum's own canonical WAV); undefined when there is no file. */
async function masterSamples(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return Math.max(0, Math.floor((info.size - RECORDING_HEADER_BYTES) / 2));
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw new MailboxFileError(path, 'stat', error);
  }
}

async function pathExists(path: string): Promise<boolean> {
  return (await masterSamples(path)) !== undefined;
}

async function statFile(path: string): Promise<{ size: number }> {
  try {
    return await stat(path);
  } catch (error) {
    throw new MailboxFileError(path, 'stat', error);
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw new MailboxFileError(dir, 'list', error);
  }
}

async function listFolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw new MailboxFileError(dir, 'list', error);
  }
}
