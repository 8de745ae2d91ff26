import type { StoreTransaction } from './message-store.js';
import { parseInteger, parseTime } from './message-row.js';
import type { SqlRunner } from './sql-runner.js';

/** What an outbox entry asks to be sent. */
export type OutboxKind = 'voice-mail' | 'missed-call';

/** Where an entry is in its life. */
export type OutboxState = 'pending' | 'sent' | 'failed';

/** A notification to enqueue. */
export interface NewOutboxEntry {
  /**
   * Stable per notification (`voice-mail:<message id>`, `missed-call:<Call-ID>`): enqueuing the same id
   * twice keeps the first, so a retried delivery cannot queue a second e-mail.
   */
  id: string;
  kind: OutboxKind;
  /** Alias of the mailbox it is for. */
  mailbox: string;
  /** What the sender needs to compose it (JSON-serialisable). */
  payload: Record<string, unknown>;
}

/** An entry as stored. */
export interface OutboxEntry extends NewOutboxEntry {
  state: OutboxState;
  /** Failed attempts so far. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** Until when a node holds it; the exact value is the lease's token (see markRetry). */
  leaseUntil: Date | null;
}

/** What proves a lease: the entry's id and the lease_until its claim wrote. */
export type OutboxLease = Pick<OutboxEntry, 'id' | 'leaseUntil'>;

/** Counts for metrics. */
export interface OutboxStats {
  pending: number;
  failed: number;
  /** When the oldest pending entry was enqueued; null when none is pending. */
  oldestPendingAt: Date | null;
}

/**
 * The durable e-mail outbox (spec §4: "queued durably and retried"), in the message store's database
 * so that the voice-mail e-mail is enqueued in the very transaction that delivers the message. Several
 * nodes on one PostgreSQL share it: an entry is leased before it is sent, so only one node sends it.
 */
export interface MailOutbox {
  /** Enqueues (in `tx` when given). Returns false when an entry with this id already exists. */
  enqueue(entry: NewOutboxEntry, tx?: StoreTransaction): Promise<boolean>;
  /** Leases up to `limit` due pending entries for `leaseMs`; entries leased by another node are skipped. */
  claimDue(limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** The entry was sent: it stays as a record, not to be sent again. */
  markSent(id: string): Promise<void>;
  /**
   * The attempt failed and may be retried at `nextAttemptAt`. Only while `lease` (an entry as claimDue
   * returned it) is still this node's: a node whose lease ran out and was taken over must not undo
   * what the other node did. Returns whether it applied.
   */
  markRetry(lease: OutboxLease, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** The entry will never be sent (permanent failure or expired); only while `lease` holds, as markRetry. */
  markFailed(lease: OutboxLease, error: string): Promise<boolean>;
  /** One entry, any state. */
  get(id: string): Promise<OutboxEntry | undefined>;
  /** When the next pending entry falls due (ignoring leases); undefined when none is pending. */
  nextDueAt(): Promise<Date | undefined>;
  /** Counts and the age of the oldest pending entry. */
  stats(): Promise<OutboxStats>;
  /** Removes sent entries sent before `before`; returns how many. */
  purgeSent(before: Date): Promise<number>;
  /** Removes entries given up on (failed) before `before`; returns how many. */
  purgeFailed(before: Date): Promise<number>;
}

/** The entry is pending and still leased by whoever wrote this lease_until (params: id, lease_until). */
const HELD = "id = ? AND state = 'pending' AND lease_until = ?";

const INSERT = `INSERT INTO mail_outbox (id, kind, mailbox, payload, state, attempts, next_attempt_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;

/** {@link MailOutbox} on the store's SQL runner (SQLite or PostgreSQL). */
export class SqlMailOutbox implements MailOutbox {
  constructor(private readonly runner: SqlRunner, private readonly now: () => Date = () => new Date()) {}

  async enqueue(entry: NewOutboxEntry, tx?: StoreTransaction): Promise<boolean> {
    const time = this.now();
    const params = [entry.id, entry.kind, entry.mailbox, JSON.stringify(entry.payload), time, time, time];
    const result = tx ? await tx.execute(INSERT, params) : await this.runner.query(INSERT, params);
    return result.rowCount > 0;
  }

  async claimDue(limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const time = this.now();
    const { rows } = await this.runner.query(
      `SELECT * FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
      [time, time, Math.max(1, Math.floor(limit))],
    );
    const claimed: OutboxEntry[] = [];
    const until = new Date(time.getTime() + leaseMs);
    for (const row of rows) {
      // The conditional update is the lease: of two nodes racing for a row, one updates it.
      const { rowCount } = await this.runner.query(
        "UPDATE mail_outbox SET lease_until = ?, updated_at = ? WHERE id = ? AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?)",
        [until, time, row.id, time],
      );
      if (rowCount > 0) claimed.push({ ...parseOutboxRow(row), leaseUntil: until });
    }
    return claimed;
  }

  async markSent(id: string): Promise<void> {
    const time = this.now();
    await this.runner.query("UPDATE mail_outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL, updated_at = ? WHERE id = ?", [time, time, id]);
  }

  async markRetry(lease: OutboxLease, nextAttemptAt: Date, error: string): Promise<boolean> {
    const { rowCount } = await this.runner.query(
      `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE ${HELD}`,
      [nextAttemptAt, error.slice(0, 2000), this.now(), lease.id, lease.leaseUntil],
    );
    return rowCount > 0;
  }

  async markFailed(lease: OutboxLease, error: string): Promise<boolean> {
    const { rowCount } = await this.runner.query(
      `UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, lease_until = NULL, last_error = ?, updated_at = ? WHERE ${HELD}`,
      [error.slice(0, 2000), this.now(), lease.id, lease.leaseUntil],
    );
    return rowCount > 0;
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const { rows } = await this.runner.query('SELECT * FROM mail_outbox WHERE id = ?', [id]);
    return rows[0] ? parseOutboxRow(rows[0]) : undefined;
  }

  async nextDueAt(): Promise<Date | undefined> {
    const { rows } = await this.runner.query("SELECT MIN(next_attempt_at) AS due FROM mail_outbox WHERE state = 'pending'");
    const due = rows[0]?.due;
    return due === null || due === undefined ? undefined : parseTime(due, 'due');
  }

  async stats(): Promise<OutboxStats> {
    const { rows } = await this.runner.query(
      `SELECT
         SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
         SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed,
         MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
       FROM mail_outbox WHERE state <> 'sent'`,
    );
    const row = rows[0] ?? {};
    return {
      pending: parseInteger(row.pending, 'pending'),
      failed: parseInteger(row.failed, 'failed'),
      oldestPendingAt: row.oldest === null || row.oldest === undefined ? null : parseTime(row.oldest, 'oldest'),
    };
  }

  async purgeSent(before: Date): Promise<number> {
    const { rowCount } = await this.runner.query("DELETE FROM mail_outbox WHERE state = 'sent' AND sent_at < ?", [before]);
    return rowCount;
  }

  async purgeFailed(before: Date): Promise<number> {
    // updated_at of a failed entry is when it was given up.
    const { rowCount } = await this.runner.query("DELETE FROM mail_outbox WHERE state = 'failed' AND updated_at < ?", [before]);
    return rowCount;
  }
}

function parseOutboxRow(row: Record<string, unknown>): OutboxEntry {
  return {
    id: String(row.id),
    kind: String(row.kind) as OutboxKind,
    mailbox: String(row.mailbox),
    payload: JSON.parse(String(row.payload)) as Record<string, unknown>,
    state: String(row.state) as OutboxState,
    attempts: parseInteger(row.attempts, 'attempts'),
    nextAttemptAt: parseTime(row.next_attempt_at, 'next_attempt_at'),
    lastError: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
    createdAt: parseTime(row.created_at, 'created_at'),
    sentAt: row.sent_at === null || row.sent_at === undefined ? null : parseTime(row.sent_at, 'sent_at'),
    leaseUntil: row.lease_until === null || row.lease_until === undefined ? null : parseTime(row.lease_until, 'lease_until'),
  };
}
