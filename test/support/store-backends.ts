// The two message-store back-ends for contract tests: SQLite in a temporary folder and PostgreSQL in
// a throwaway cluster (test/support/postgres.ts), started on first use. Call `stopStoreBackends` in
// afterAll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMessageStore } from '../../src/mailbox/index.js';
import type { MessageStore } from '../../src/mailbox/index.js';
import { startPostgres, type PostgresCluster } from './postgres.js';

/** What `openMessageStore` takes. */
export type StoreConfiguration = Parameters<typeof openMessageStore>[0];

/** One back-end. */
export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Configuration of a fresh, empty store; `database` reuses a PostgreSQL database made before (two nodes, one store). */
  fresh(label: string): Promise<StoreConfiguration>;
}

const folders: string[] = [];
let cluster: PostgresCluster | undefined;
let databases = 0;

/** A temporary folder removed by {@link stopStoreBackends}. */
export function temporaryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openum-store-'));
  folders.push(dir);
  return dir;
}

/** SQLite and PostgreSQL. */
export const STORE_BACKENDS: StoreBackend[] = [
  { name: 'sqlite', fresh: async () => ({ Server: { DataDirectory: temporaryFolder(), Storage: { Kind: 'sqlite' } } }) },
  {
    name: 'postgres',
    fresh: async (label) => {
      cluster ??= await startPostgres();
      const url = await cluster.createDatabase(`${label.replace(/\W/g, '_')}_${++databases}`);
      return { Server: { DataDirectory: temporaryFolder(), Storage: { Kind: 'postgres', Url: url } } };
    },
  },
];

/** Stops the PostgreSQL cluster (if one was started) and removes the folders. */
export async function stopStoreBackends(): Promise<void> {
  await cluster?.stop();
  cluster = undefined;
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh store, and on PostgreSQL a second connection to the same database (a second node). */
export interface SharedStores {
  store: MessageStore;
  /** Undefined on SQLite (one node per file). */
  second: MessageStore | undefined;
}

/** Registers beforeAll/afterAll that open (and close) {@link SharedStores} on `backend`. */
export function sharedStores(backend: StoreBackend, label: string): SharedStores {
  const stores = { second: undefined } as unknown as SharedStores;
  beforeAll(async () => {
    const configuration = await backend.fresh(label);
    stores.store = await openMessageStore(configuration);
    if (backend.name === 'postgres') stores.second = await openMessageStore(configuration);
  }, 120_000);
  afterAll(async () => {
    await stores.second?.close();
    await stores.store?.close();
  });
  return stores;
}
