import type { Logger } from 'pino';
import type { OpenumConfiguration } from '../config/index.js';
import type { Directory } from '../directory/index.js';
import type { MessageStore, NewMessage, OutboxEntry, OutboxKind, StoreTransaction, StoredMessage } from '../mailbox/index.js';
import { MailCompositionError, MailDeliveryError } from './errors.js';
import type { MailTransport } from './mail-delivery.js';
import { composeMissedCallEmail } from './missed-call-email.js';
import type { ComposedMail, MailCompositionOptions, NotificationCaller } from './notification-types.js';
import { isExpired, nextAttemptAt } from './retry-schedule.js';
import type { RetrySchedule } from './retry-schedule.js';
import { composeVoiceMailEmail } from './voice-mail-email.js';
import { messageCaller } from './voice-message-presentation.js';

/** A missed call to notify (spec §4): a caller reached UM and left no message. */
export interface MissedCallEvent {
  /** Alias of the called mailbox. */
  mailbox: string;
  /** SIP Call-ID: names the notification, so a repeated report queues one e-mail. */
  callId: string;
  caller: NotificationCaller;
  receivedAt: Date;
}

/** What happened to one delivery attempt (metrics). */
export type DeliveryResult = 'sent' | 'retried' | 'failed';

/** Options of {@link NotificationOutbox}. */
export interface NotificationOutboxOptions {
  configuration: OpenumConfiguration;
  directory: Directory;
  store: MessageStore;
  /** Absolute path of a stored message's audio (MailboxService.audioFilePath). */
  audioPath: (message: StoredMessage) => string;
  transport: MailTransport;
  logger?: Logger;
  /** Deliveries in flight at once. Default 4. */
  concurrency?: number;
  /** How often the outbox is looked at when nothing woke it (entries queued by other nodes). Default 5 s. */
  pollIntervalMs?: number;
  /** Told of each attempt's result. */
  onResult?: (kind: OutboxKind, result: DeliveryResult) => void;
  now?: () => Date;
  random?: () => number;
}

/** How long a node holds an entry while sending it; another node may take it over after this. */
const LEASE_MS = 5 * 60_000;
/** Sent entries are kept this long (duplicate suppression, inspection), then purged. */
const KEEP_SENT_MS = 7 * 24 * 3600_000;
/** Entries given up on are kept this long (inspection; `openum_notification_outbox_failed` counts them), then purged. */
const KEEP_FAILED_MS = 30 * 24 * 3600_000;

/**
 * The voice-mail e-mail and missed-call notification of spec §4, through the durable outbox in the
 * message store: entries are written first (the voice mail's in the transaction that delivers the
 * message), then a delivery loop composes and sends them, retrying temporary failures with back-off
 * until `Mail.MessageExpirationTimeout`. An entry is marked sent only after the transport accepted it;
 * a crash in between sends it again with the same Message-ID, which Maildir and mail clients de-duplicate.
 */
export class NotificationOutbox {
  private readonly schedule: RetrySchedule;
  private readonly composition: MailCompositionOptions;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private closed = false;
  private lastPurge = 0;

  constructor(private readonly options: NotificationOutboxOptions) {
    const mail = options.configuration.Server.Mail;
    this.schedule = { retryInterval: mail.RetryInterval, maxRetryInterval: mail.MaxRetryInterval, expiration: mail.MessageExpirationTimeout };
    this.composition = { from: mail.From, domain: options.configuration.Server.Domain };
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Queues the voice-mail e-mail of a message being delivered, inside the delivery's transaction
   * (MailboxService `inDeliveryTransaction`): the message and its e-mail commit together or not at all.
   */
  async enqueueVoiceMail(message: NewMessage, tx: StoreTransaction): Promise<void> {
    await this.options.store.outbox.enqueue({ id: `voice-mail:${message.id}`, kind: 'voice-mail', mailbox: message.mailbox, payload: { messageId: message.id } }, tx);
  }

  /**
   * Queues a missed-call notification when the gates allow it (AllowMissedCallNotifications on the
   * policy AND MissedCallNotificationEnabled on the mailbox). Returns whether one was queued.
   */
  async enqueueMissedCall(event: MissedCallEvent): Promise<boolean> {
    const mailbox = this.options.directory.findMailbox(event.mailbox);
    if (!mailbox || !mailbox.MissedCallNotificationEnabled) return false;
    if (this.options.directory.policyOfMailbox(mailbox)?.AllowMissedCallNotifications === false) return false;
    const queued = await this.options.store.outbox.enqueue({
      id: `missed-call:${event.callId}`,
      kind: 'missed-call',
      mailbox: mailbox.Alias,
      payload: { callId: event.callId, caller: { id: event.caller.id, isNumber: event.caller.isNumber, name: event.caller.name ?? null }, receivedAt: event.receivedAt.toISOString() },
    });
    if (queued) this.wake();
    return queued;
  }

  /** Starts the delivery loop (entries left by an earlier run are sent first). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.wake();
  }

  /** Runs the delivery loop now instead of at its next poll (e.g. after a message was delivered). */
  wake(): void {
    if (!this.started || this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger?.error({ err: error }, 'the mail outbox could not be read; trying again later'))
      .finally(() => {
        this.running = undefined;
        if (this.closed) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          void this.scheduleNext();
        }
      });
  }

  /** Stops the loop and waits for deliveries in flight; idempotent. Entries not sent stay queued. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    this.options.transport.close();
  }

  private async scheduleNext(): Promise<void> {
    let delay = this.pollIntervalMs;
    try {
      const due = await this.options.store.outbox.nextDueAt();
      if (due) delay = Math.min(delay, Math.max(0, due.getTime() - this.now().getTime()));
    } catch {
      // The store is unavailable: the poll interval is the retry.
    }
    if (this.closed || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  /** Sends due entries in batches until none is due. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const batch = await this.options.store.outbox.claimDue(this.concurrency * 4, LEASE_MS);
      if (batch.length === 0) break;
      const queue = [...batch];
      const worker = async () => {
        for (let entry = queue.shift(); entry; entry = queue.shift()) await this.deliver(entry);
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
    }
    const time = this.now().getTime();
    if (time - this.lastPurge > 3600_000) {
      this.lastPurge = time;
      await this.options.store.outbox.purgeSent(new Date(time - KEEP_SENT_MS));
      await this.options.store.outbox.purgeFailed(new Date(time - KEEP_FAILED_MS));
    }
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const outbox = this.options.store.outbox;
    const log = { outboxId: entry.id, mailbox: entry.mailbox, attempt: entry.attempts + 1 };
    const settle = async (applied: Promise<boolean>): Promise<void> => {
      if (!(await applied)) this.options.logger?.warn(log, 'outbox lease ran out during the attempt: another node has the entry now; its outcome stands');
    };
    let mail: ComposedMail;
    try {
      mail = await this.compose(entry);
    } catch (error) {
      // A notification that cannot be composed (message or mailbox gone, audio unreadable) never will be.
      this.options.logger?.error({ ...log, err: error }, 'notification cannot be composed; given up');
      await settle(outbox.markFailed(entry, describe(error)));
      this.options.onResult?.(entry.kind, 'failed');
      return;
    }
    try {
      await this.options.transport.deliver({ to: mail.to, messageId: mail.messageId, raw: mail.raw });
    } catch (error) {
      const now = this.now();
      const temporary = !(error instanceof MailDeliveryError) || error.temporary;
      if (!temporary || isExpired(entry.createdAt, now, this.schedule)) {
        this.options.logger?.error({ ...log, err: error }, temporary ? 'notification expired undelivered; given up' : 'notification refused permanently; given up');
        await settle(outbox.markFailed(entry, describe(error)));
        this.options.onResult?.(entry.kind, 'failed');
        return;
      }
      const next = nextAttemptAt(now, entry.attempts + 1, this.schedule, this.options.random);
      this.options.logger?.warn({ ...log, err: error, nextAttemptAt: next.toISOString() }, 'notification not delivered; will retry');
      await settle(outbox.markRetry(entry, next, describe(error)));
      this.options.onResult?.(entry.kind, 'retried');
      return;
    }
    // Sent. A store failure now must not count as a delivery failure (that would send it again at
    // once); the entry's lease runs out and it may go once more, with the same Message-ID.
    try {
      await outbox.markSent(entry.id);
    } catch (error) {
      this.options.logger?.error({ ...log, err: error }, 'e-mail sent but not marked sent in the outbox');
    }
    this.options.logger?.info({ ...log, messageId: mail.messageId, to: mail.to }, `${entry.kind} e-mail sent`);
    this.options.onResult?.(entry.kind, 'sent');
  }

  private async compose(entry: OutboxEntry): Promise<ComposedMail> {
    const mailbox = this.options.directory.findMailbox(entry.mailbox);
    if (!mailbox) throw new MailCompositionError(`mailbox ${entry.mailbox} is no longer configured`, undefined);
    const target = { Alias: mailbox.Alias, DisplayName: mailbox.DisplayName, PrimarySmtpAddress: mailbox.PrimarySmtpAddress };
    if (entry.kind === 'voice-mail') {
      const messageId = String(entry.payload.messageId);
      const message = await this.options.store.getMessage(messageId);
      if (!message) throw new MailCompositionError(`message ${messageId} no longer exists`, undefined);
      return composeVoiceMailEmail({
        messageId: message.id,
        mailbox: target,
        caller: messageCaller(message),
        receivedAt: message.receivedAt,
        durationMs: message.durationMs,
        codec: message.codec,
        audioPath: this.options.audioPath(message),
      }, this.composition);
    }
    const caller = entry.payload.caller as { id: string | null; isNumber: boolean; name: string | null };
    return composeMissedCallEmail({
      callId: String(entry.payload.callId),
      mailbox: target,
      caller: { id: caller.id, isNumber: caller.isNumber, name: caller.name ?? undefined },
      receivedAt: new Date(String(entry.payload.receivedAt)),
    }, this.composition);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}
