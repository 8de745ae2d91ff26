import type { Logger } from 'pino';
import type { MessageStore, StoredMessage } from '../mailbox/index.js';

/**
 * Marks messages heard on the phone as read, a second later and together: at a hundred Play on Phone
 * calls a second, one fsynced SQLite commit per message would stall the only thread the calls' media
 * runs on. A crash may forget the last second's read marks; the messages themselves are untouched.
 */
export class ReadMarker {
  private readonly pending = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: MessageStore,
    private readonly onChanged: (alias: string) => void,
    private readonly logger?: Logger,
    private readonly delayMs = 1000,
  ) {}

  /** Queues a message to be marked read. */
  mark(message: Pick<StoredMessage, 'id' | 'mailbox' | 'state'>): void {
    if (message.state !== 'new') return;
    this.pending.set(message.id, message.mailbox);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes what is queued now; the mailboxes concerned are told (MWI). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.flushing;
    const batch = new Map(this.pending);
    this.pending.clear();
    this.flushing = this.flushing.then(async () => {
      try {
        if ((await this.store.markRead([...batch.keys()])) > 0) for (const alias of new Set(batch.values())) this.onChanged(alias);
      } catch (error) {
        this.logger?.warn({ err: error, messages: batch.size }, 'messages played on the phone could not be marked read');
      }
    });
    return this.flushing;
  }
}
