import type { TimerHandle, TimerScheduler } from '../timers/timer-scheduler.js';
import type { Destination } from '../transport/transport-types.js';

/** A final response remembered for replay. */
export interface CachedResponse {
  /** Response text. */
  data: string;
  /** Where it was sent. */
  destination: Destination;
}

interface Entry extends CachedResponse {
  timer: TimerHandle;
}

/**
 * Final responses of server transactions, kept per transaction key for the lifetime of Timer J (64·T1 on
 * UDP, RFC 3261 §17.2.2) so a retransmitted request gets the same answer instead of being treated as
 * new (the SIP.js core sets Timer J to 0 and answers a retransmitted BYE with 481). Bounded in size:
 * the oldest entry goes first.
 */
export class FinalResponseCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param timers - clock.
   * @param lifetimeMs - how long an entry lives.
   * @param maxEntries - cap on entries.
   */
  constructor(private readonly timers: TimerScheduler, private readonly lifetimeMs: number, private readonly maxEntries: number) {}

  /** Number of cached responses. */
  get size(): number {
    return this.entries.size;
  }

  /** Remember (or replace) the final response of transaction `key`. */
  set(key: string, response: CachedResponse): void {
    this.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    const timer = this.timers.setTimeout(() => this.entries.delete(key), this.lifetimeMs);
    this.entries.set(key, { ...response, timer });
  }

  /** The cached response of transaction `key`, if any. */
  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  /** Forget transaction `key`. */
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.timers.clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  /** Forget everything and stop all timers. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }
}
