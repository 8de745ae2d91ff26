/** Limits of {@link FailureLimiter}. */
export interface FailureLimits {
  /** Failures within `windowMs` that block a key. Default 5. */
  maxFailures: number;
  /** The counting window, ms. Default 60 000. */
  windowMs: number;
  /** First block, ms; each further block of the same key doubles it up to `maxBlockMs`. Default 60 000. */
  blockMs: number;
  /** Longest block, ms. Default 900 000 (15 min). */
  maxBlockMs: number;
  /** Keys remembered at most; beyond it, expired keys go, then the oldest. Default 10 000. */
  maxEntries: number;
}

/** The defaults of {@link FailureLimits}. */
export const DEFAULT_FAILURE_LIMITS: Readonly<FailureLimits> = { maxFailures: 5, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 900_000, maxEntries: 10_000 };

interface Entry {
  windowStart: number;
  failures: number;
  /** 0 when not blocked. */
  blockedUntil: number;
  /** Blocks so far, for the doubling; forgotten with the entry. */
  strikes: number;
  /** When the entry can be forgotten. */
  expiresAt: number;
}

/**
 * Counts failures per key (client address, user name) in a fixed window and blocks a key that reaches the
 * limit, for a back-off that doubles while the failures go on. Memory is bounded by `maxEntries`: an entry
 * is forgotten once its window and block have passed (strikes included), and when full the oldest goes.
 */
export class FailureLimiter {
  private readonly limits: FailureLimits;
  private readonly entries = new Map<string, Entry>();

  constructor(limits: Partial<FailureLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { ...DEFAULT_FAILURE_LIMITS, ...limits };
  }

  /** Ms until `key` may try again; 0 when it is not blocked. */
  blockedFor(key: string): number {
    const entry = this.live(key);
    return entry === undefined ? 0 : Math.max(0, entry.blockedUntil - this.now());
  }

  /** Counts a failure; returns the block it started (ms), or 0. */
  recordFailure(key: string): number {
    const time = this.now();
    let entry = this.live(key);
    if (entry === undefined) {
      this.makeRoom();
      entry = { windowStart: time, failures: 0, blockedUntil: 0, strikes: 0, expiresAt: 0 };
    }
    // Re-inserting keeps the Map in least-recently-failed order for eviction.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (time - entry.windowStart >= this.limits.windowMs) {
      entry.windowStart = time;
      entry.failures = 0;
    }
    entry.failures++;
    let block = 0;
    if (entry.failures >= this.limits.maxFailures) {
      block = Math.min(this.limits.maxBlockMs, this.limits.blockMs * 2 ** entry.strikes);
      entry.strikes++;
      entry.blockedUntil = time + block;
      entry.windowStart = time;
      entry.failures = 0;
    }
    // Strikes are remembered for one more maximal block after the last failure or block.
    entry.expiresAt = Math.max(entry.blockedUntil, entry.windowStart + this.limits.windowMs) + (entry.strikes > 0 ? this.limits.maxBlockMs : 0);
    return block;
  }

  /** Forgets a key (after a success). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Keys remembered now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private makeRoom(): void {
    if (this.entries.size < this.limits.maxEntries) return;
    const time = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= time) this.entries.delete(key);
    // Still full: the least recently failing keys go first (Map order), a tenth at a time so that a
    // flood does not sweep the whole map on every failure.
    const target = Math.floor(this.limits.maxEntries * 0.9);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
