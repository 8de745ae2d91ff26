import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OpenumConfiguration } from '../config/index.js';
import { MessageStoreError } from './errors.js';
import type { MessageStore } from './message-store.js';
import { PostgresRunner } from './postgres-runner.js';
import { migrateSchema } from './schema-migrator.js';
import { SqlMessageStore } from './sql-message-store.js';
import type { SqlRunner } from './sql-runner.js';
import { SqliteRunner } from './sqlite-runner.js';

/** File name of the embedded store inside `Server.DataDirectory`. */
export const SQLITE_FILE_NAME = 'openum.sqlite';

/** Options of {@link openMessageStore}. */
export interface OpenMessageStoreOptions {
  /** For connection trouble the store survives (PostgreSQL idle connections). */
  logger?: Logger;
  /** The clock stamping created/updated times (tests inject one). */
  now?: () => Date;
}

/**
 * Opens the message store `Server.Storage` names — SQLite in `<DataDirectory>/openum.sqlite`
 * (default) or PostgreSQL at `Server.Storage.Url` — and migrates its schema.
 */
export async function openMessageStore(
  configuration: { readonly Server: Pick<OpenumConfiguration['Server'], 'DataDirectory' | 'Storage'> },
  options: OpenMessageStoreOptions = {},
): Promise<MessageStore> {
  const { Storage, DataDirectory } = configuration.Server;
  let runner: SqlRunner;
  if (Storage.Kind === 'postgres') {
    if (!Storage.Url) throw new MessageStoreError('Server.Storage.Kind is postgres but Server.Storage.Url is not set');
    runner = await PostgresRunner.open({ url: Storage.Url, ...(options.logger ? { logger: options.logger } : {}) });
  } else {
    try {
      mkdirSync(DataDirectory, { recursive: true });
    } catch (error) {
      throw new MessageStoreError(`cannot create the data directory ${DataDirectory}: ${(error as Error).message}`, error);
    }
    runner = SqliteRunner.open(join(DataDirectory, SQLITE_FILE_NAME));
  }
  try {
    await migrateSchema(runner);
  } catch (error) {
    await runner.close().catch(() => undefined);
    throw error;
  }
  return new SqlMessageStore(runner, options.now);
}
