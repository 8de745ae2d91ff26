import pg from 'pg';
import type { Logger } from 'pino';
import { OpenumError } from '../errors.js';
import { MessageStoreError } from './errors.js';
import type { StatementResult, StoreTransaction } from './message-store.js';
import type { SqlRunner } from './sql-runner.js';
import { numberPlaceholders } from './sql-runner.js';

/** Options of {@link PostgresRunner.open}. */
export interface PostgresRunnerOptions {
  /** `postgres://user:password@host:port/database` (Server.Storage.Url). */
  url: string;
  /** Connections at most. Default 10. */
  maxConnections?: number;
  /** Told of errors on idle connections (the server restarted); the pool reconnects by itself. */
  logger?: Logger;
}

/** PostgreSQL through a `pg` pool: several openum nodes share one database (ARCHITECTURE, scaling out). */
export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private closed = false;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Creates the pool and checks that the database answers. */
  static async open(options: PostgresRunnerOptions): Promise<PostgresRunner> {
    const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
    // Without a listener an idle client's error (server restart) would crash the process.
    pool.on('error', (error) => options.logger?.warn({ err: error }, 'PostgreSQL connection lost; the pool reconnects'));
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new MessageStoreError(`cannot reach the PostgreSQL message store ${redact(options.url)}: ${(error as Error).message}`, error);
    }
    return new PostgresRunner(pool);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<StatementResult> {
    if (this.closed) throw new MessageStoreError('the message store is closed');
    return run(this.pool, sql, params);
  }

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (this.closed) throw new MessageStoreError('the message store is closed');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new MessageStoreError(`PostgreSQL: ${(error as Error).message}`, error);
    }
    let open = true;
    const tx: StoreTransaction = {
      dialect: 'postgres',
      execute: async (sql, params = []) => {
        if (!open) throw new MessageStoreError('statement after the end of its transaction');
        return run(client, sql, params);
      },
    };
    let broken = false;
    try {
      await run(client, 'BEGIN', []);
      const result = await work(tx);
      await run(client, 'COMMIT', []);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error instanceof OpenumError ? error : new MessageStoreError(`PostgreSQL transaction: ${String(error)}`, error);
    } finally {
      open = false;
      // A connection that could not even roll back is not given to the next user.
      client.release(broken ? true : undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

async function run(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<StatementResult> {
  const { text } = numberPlaceholders(sql);
  try {
    const result = await client.query(text, params.map((v) => (v === undefined ? null : v)));
    return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw new MessageStoreError(`PostgreSQL: ${(error as Error).message}`, error);
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
