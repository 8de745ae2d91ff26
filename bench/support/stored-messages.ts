// Reads a benchmark openum's SQLite message store read-only while it runs (WAL lets a reader in
// beside the writer), to count deliveries over time and check each stored message afterwards.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** One stored message, as the bench checks it. */
export interface StoredRow {
  mailbox: string;
  durationMs: number;
  codec: string;
  sizeBytes: number;
  /** When the call began the message (ms since the epoch). */
  receivedAt: number;
  /** When the row was inserted, i.e. delivered (ms since the epoch). */
  createdAt: number;
}

/** Deliveries per second: from the first to the last, and the most in any 1 s; delivery delays. */
export function deliveryRates(rows: readonly StoredRow[]): { overall: number; peak: number; delayMs: number[] } {
  const times = rows.map((r) => r.createdAt).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  const span = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : 0;
  // From began + duration to the row: the encode queue and delivery, plus a constant (tone, the scenario's pauses).
  const delayMs = rows.map((r) => r.createdAt - r.receivedAt - r.durationMs).sort((a, b) => a - b);
  return { overall: span > 0 ? (times.length - 1) / span : times.length, peak, delayMs };
}

/** A read-only view of `<dataDirectory>/openum.sqlite`; opens lazily (the file appears at start-up). */
export class StoredMessages {
  private db: Database.Database | undefined;

  constructor(private readonly dataDirectory: string) {}

  private open(): Database.Database | undefined {
    if (this.db) return this.db;
    const file = join(this.dataDirectory, 'openum.sqlite');
    if (!existsSync(file)) return undefined;
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 2000');
    return this.db;
  }

  /** Messages delivered so far (rows); 0 before the store exists. */
  count(): number {
    const db = this.open();
    if (!db) return 0;
    return (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  }

  /** Every stored message. */
  rows(): StoredRow[] {
    const db = this.open();
    if (!db) return [];
    const rows = db.prepare('SELECT mailbox, duration_ms AS durationMs, codec, size_bytes AS sizeBytes, received_at AS receivedAt, created_at AS createdAt FROM messages').all() as (Omit<StoredRow, 'receivedAt' | 'createdAt'> & { receivedAt: string; createdAt: string })[];
    return rows.map((r) => ({ ...r, receivedAt: Date.parse(r.receivedAt), createdAt: Date.parse(r.createdAt) }));
  }

  /** Closes the reader. Idempotent. */
  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}

/** Samples a counter once a period; the series shows when deliveries happened. */
export class DeliveryTimeline {
  /** [seconds since start, messages stored]. */
  readonly samples: [number, number][] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();

  constructor(private readonly store: StoredMessages, periodMs = 500) {
    this.timer = setInterval(() => this.sample(), periodMs);
  }

  /** Takes one sample now. */
  sample(): number {
    const n = this.store.count();
    this.samples.push([(performance.now() - this.started) / 1000, n]);
    return n;
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
  }
}
