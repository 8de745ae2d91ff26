import Database from 'better-sqlite3';
import { OpenumError } from '../errors.js';
import { MessageStoreError } from './errors.js';
import type { StatementResult, StoreTransaction } from './message-store.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * SQLite through better-sqlite3: WAL (readers such as `openum mailbox list` do not block the server)
 * and `synchronous = FULL`, so a committed message survives a power cut, not only a crash.
 *
 * better-sqlite3 is synchronous, but a transaction may await its hook (the e-mail outbox); every
 * statement therefore goes through one queue, so nothing else runs on the connection while a
 * transaction is open.
 */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Prepared statements by SQL text: preparing is a good part of a small query's cost. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Opens (creating if needed) the database file. */
  static open(file: string): SqliteRunner {
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // The CLI and the server may write at the same moment: wait for the other's lock instead of failing.
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new MessageStoreError(`cannot open the SQLite message store ${file}: ${(error as Error).message}`, error);
    }
    return new SqliteRunner(db);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<StatementResult> {
    return this.exclusive(() => this.run(sql, params));
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      // IMMEDIATE takes the write lock now, so the commit cannot fail on a lock taken meanwhile.
      this.run('BEGIN IMMEDIATE', []);
      let open = true;
      const tx: StoreTransaction = {
        dialect: 'sqlite',
        execute: async (sql, params = []) => {
          if (!open) throw new MessageStoreError('statement after the end of its transaction');
          return this.run(sql, params);
        },
      };
      try {
        const result = await work(tx);
        this.run('COMMIT', []);
        open = false;
        return result;
      } catch (error) {
        open = false;
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.db.close();
  }

  private run(sql: string, params: readonly unknown[]): StatementResult {
    try {
      const statement = this.prepare(sql);
      const values = params.map(toSqlite);
      if (statement.reader) return { rows: statement.all(...values) as Record<string, unknown>[], rowCount: 0 };
      const info = statement.run(...values);
      return { rows: [], rowCount: info.changes };
    } catch (error) {
      throw new MessageStoreError(`SQLite: ${(error as Error).message}`, error);
    }
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      // Texts built per call (IN lists of any length) must not grow the cache without end.
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new MessageStoreError('the message store is closed'));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      throw error instanceof OpenumError ? error : new MessageStoreError(`SQLite: ${String(error)}`, error);
    });
  }
}

const MAX_CACHED_STATEMENTS = 256;

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
