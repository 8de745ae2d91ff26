import type { Logger } from 'pino';
import { removeFile } from './durable-file.js';
import { MailboxStateError } from './errors.js';
import type { StorageCodec, StoredMessage } from './message-types.js';
import type { MessageRecording, MessageRecordingResult } from './recording-port.js';
import { RECORDING_SAMPLE_RATE } from './recording-port.js';

/** Spec §3.2 step 4 (Decision): a message needs at least this much non-silent audio to be kept. */
export const MIN_VOICED_MS = 1000;

/** Where a {@link PendingMessage} is. */
export type PendingMessageState = 'recording' | 'committing' | 'committed' | 'discarded';

/** A message whose lossless master is committed; delivery (encode + row) follows off the call path. */
export interface CommittedMessage {
  /** Message id. */
  id: string;
  /** Mailbox alias. */
  mailbox: string;
  /** Storage codec it is being encoded to. */
  codec: StorageCodec;
  /** Audio kept, ms (after trimming). */
  durationMs: number;
  /**
   * Resolves with the stored row once delivered; rejects if every attempt failed (the master stays in
   * the spool and start-up recovery delivers it). Unobserved rejections are logged, not unhandled.
   */
  delivered: Promise<StoredMessage>;
}

/** What {@link PendingMessage} needs of its service. */
export interface PendingMessageContext {
  /** Queues delivery of a committed master. */
  deliver(id: string): Promise<StoredMessage>;
  logger: Logger | undefined;
}

/** A message being recorded: the call application writes into `sink`, then commits or discards. */
export class PendingMessage {
  /** Message id (a UUID). */
  readonly id: string;
  /** Mailbox alias. */
  readonly mailbox: string;
  /** Storage codec it will be encoded to. */
  readonly codec: StorageCodec;
  /** Where the recorder writes (a media `RecordingSink`). */
  readonly sink: MessageRecording;
  private readonly sidecarPath: string;
  private readonly context: PendingMessageContext;
  private current: PendingMessageState = 'recording';

  /** Built by `MailboxService.beginMessage`. */
  constructor(init: { id: string; mailbox: string; codec: StorageCodec; recording: MessageRecording; sidecarPath: string; context: PendingMessageContext }) {
    this.id = init.id;
    this.mailbox = init.mailbox;
    this.codec = init.codec;
    this.sink = init.recording;
    this.sidecarPath = init.sidecarPath;
    this.context = init.context;
  }

  /** Where it is. */
  get state(): PendingMessageState {
    return this.current;
  }

  /**
   * Applies spec §3.2 step 4: under {@link MIN_VOICED_MS} of voice, discards and returns undefined;
   * else trims the trailing silence, commits the lossless master (fsync + rename) and queues the
   * delivery. Resolves once the master is durable — not when the message is delivered.
   */
  async commit(result: MessageRecordingResult): Promise<CommittedMessage | undefined> {
    this.transition('recording', 'committing');
    if (result.voicedMs < MIN_VOICED_MS) {
      this.context.logger?.debug({ messageId: this.id, voicedMs: result.voicedMs }, 'message too short: discarded');
      await this.drop();
      return undefined;
    }
    const keep = Math.max(0, result.samples - result.trailingSilenceSamples);
    await this.sink.trimTo(keep);
    // On failure the `.partial` file and the sidecar stay: start-up recovery delivers what was written.
    await this.sink.close();
    this.transition('committing', 'committed');
    const delivered = this.context.deliver(this.id);
    delivered.catch((error: unknown) => this.context.logger?.error({ err: error, messageId: this.id }, 'delivery failed; the master stays in the spool for recovery'));
    return { id: this.id, mailbox: this.mailbox, codec: this.codec, durationMs: Math.round((keep * 1000) / RECORDING_SAMPLE_RATE), delivered };
  }

  /** Abandons the message (caller hung up before the tone, or the call failed). Idempotent. */
  async discard(): Promise<void> {
    if (this.current === 'discarded') return;
    this.transition('recording', 'committing');
    await this.drop();
  }

  private async drop(): Promise<void> {
    await this.sink.discard();
    // The sidecar goes last: a crash in between leaves a sidecar without audio, which recovery drops.
    await removeFile(this.sidecarPath);
    this.current = 'discarded';
  }

  private transition(from: PendingMessageState, to: PendingMessageState): void {
    if (this.current !== from) throw new MailboxStateError(`message ${this.id} is ${this.current}, cannot go to ${to}`);
    this.context.logger?.debug({ messageId: this.id, from, to }, 'pending message state');
    this.current = to;
  }
}
