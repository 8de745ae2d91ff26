// The MessageStore contract, run against both back-ends: SQLite in a temporary folder and PostgreSQL in
// a throwaway cluster (test/support/postgres.ts).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS_TABLE, openMessageStore, SchemaVersionError } from '../../../src/mailbox/index.js';
import type { MessageStore, NewMessage } from '../../../src/mailbox/index.js';
import { STORE_BACKENDS as BACKENDS, stopStoreBackends, temporaryFolder as folder, type StoreConfiguration } from '../../support/store-backends.js';

afterAll(stopStoreBackends, 60_000);

let clock = Date.parse('2024-03-01T09:00:00.000Z');

function message(overrides: Partial<NewMessage> = {}): NewMessage {
  clock += 60_000;
  return {
    id: randomUUID(),
    mailbox: 'kim',
    caller: '+14255550199',
    callerName: 'Jo Caller',
    receivedAt: new Date(clock),
    durationMs: 4_321,
    codec: 'Mp3',
    audioPath: 'messages/kim/x.mp3',
    sizeBytes: 1_000,
    urgent: false,
    recovered: false,
    callId: 'abc@10.0.0.1',
    ...overrides,
  };
}

describe.each(BACKENDS)('MessageStore on $name', (backend) => {
  let store: MessageStore;
  let configuration: StoreConfiguration;

  beforeAll(async () => {
    configuration = await backend.fresh('contract');
    store = await openMessageStore(configuration);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  test('markRead marks only unread messages, in one statement, and ignores ids that are no message', async () => {
    const unread = message();
    const alreadyRead = message();
    const deleted = message();
    for (const m of [unread, alreadyRead, deleted]) await store.commitMessage(m);
    await store.setMessageState(alreadyRead.id, 'read');
    await store.setMessageState(deleted.id, 'deleted');
    expect(await store.markRead([unread.id, alreadyRead.id, deleted.id, 'not-a-uuid', unread.id])).toBe(1);
    expect((await store.getMessage(unread.id))!.state).toBe('read');
    expect((await store.getMessage(deleted.id))!.state).toBe('deleted');
    expect(await store.markRead([])).toBe(0);
  });

  test('open creates the schema at the latest version, and opening again migrates nothing and keeps the rows', async () => {
    expect(store.dialect).toBe(backend.name);
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const kept = message({ mailbox: 'reopen' });
    await store.commitMessage(kept);
    const again = await openMessageStore(configuration);
    try {
      expect(await again.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect((await again.getMessage(kept.id))?.id).toBe(kept.id);
    } finally {
      await again.close();
    }
  });

  test('a committed message reads back field for field, as new, with created/updated times', async () => {
    const m = message({ caller: null, callerName: null, callId: null, recovered: true, urgent: true, codec: 'Gsm', sizeBytes: 5_000_000_000 });
    const { message: stored, inserted } = await store.commitMessage(m);
    expect(inserted).toBe(true);
    expect(stored.state).toBe('new');
    const read = await store.getMessage(m.id);
    expect(read).toEqual({ ...m, state: 'new', createdAt: stored.createdAt, updatedAt: stored.updatedAt });
    expect(read?.receivedAt).toBeInstanceOf(Date);
    expect(await store.getMessage(m.id.toUpperCase())).toEqual(read);
  });

  test('commit is idempotent by id: the second returns the stored row and does not run the hook', async () => {
    const m = message();
    await store.commitMessage(m);
    let hookRuns = 0;
    const second = await store.commitMessage({ ...m, durationMs: 1 }, { alsoInTransaction: () => void hookRuns++ });
    expect(second.inserted).toBe(false);
    expect(second.message.durationMs).toBe(m.durationMs);
    expect(hookRuns).toBe(0);
  });

  test('alsoInTransaction writes in the same transaction: committed together, or rolled back together', async () => {
    // Tables of a later layer are created by that layer; here the hook makes its own.
    const outbox = 'test_outbox';
    const ok = message({ mailbox: 'tx' });
    await store.commitMessage(ok, {
      alsoInTransaction: async (tx) => {
        expect(tx.dialect).toBe(backend.name);
        await tx.execute(`CREATE TABLE IF NOT EXISTS ${outbox} (message_id TEXT PRIMARY KEY, note TEXT)`);
        const inserted = await tx.execute(`INSERT INTO ${outbox} (message_id, note) VALUES (?, ?)`, [ok.id, "it's ?"]);
        expect(inserted.rowCount).toBe(1);
        // The message row is visible inside the transaction.
        const seen = await tx.execute('SELECT mailbox FROM messages WHERE id = ?', [ok.id]);
        expect(seen.rows).toEqual([{ mailbox: 'tx' }]);
      },
    });
    const failing = message({ mailbox: 'tx' });
    await expect(
      store.commitMessage(failing, {
        alsoInTransaction: async (tx) => {
          await tx.execute(`INSERT INTO ${outbox} (message_id, note) VALUES (?, ?)`, [failing.id, 'doomed']);
          throw new Error('mail queue refused');
        },
      }),
    ).rejects.toThrow();
    expect(await store.getMessage(failing.id)).toBeUndefined();
    let rows: Record<string, unknown>[] = [];
    await store.commitMessage(message({ mailbox: 'tx-probe' }), {
      alsoInTransaction: async (tx) => {
        rows = (await tx.execute(`SELECT message_id, note FROM ${outbox} ORDER BY note`)).rows;
      },
    });
    expect(rows).toEqual([{ message_id: ok.id, note: "it's ?" }]);
  });

  test('concurrent commits with awaiting hooks are all stored, none lost or mixed', async () => {
    const batch = Array.from({ length: 20 }, () => message({ mailbox: 'busy' }));
    await Promise.all(batch.map((m) => store.commitMessage(m, { alsoInTransaction: () => new Promise((r) => setTimeout(r, 5)) })));
    const listed = await store.listMessages('busy');
    expect(listed.map((m) => m.id).sort()).toEqual(batch.map((m) => m.id).sort());
  });

  test('list: newest first, deleted hidden unless asked, state filter, limit', async () => {
    const [a, b, c] = [message({ mailbox: 'list' }), message({ mailbox: 'list' }), message({ mailbox: 'list' })];
    // Inserted out of order: the order comes from receivedAt.
    for (const m of [b!, c!, a!]) await store.commitMessage(m);
    await store.commitMessage(message({ mailbox: 'other' }));
    expect((await store.listMessages('list')).map((m) => m.id)).toEqual([c!.id, b!.id, a!.id]);
    expect(await store.setMessageState(b!.id, 'deleted')).toBe(true);
    expect(await store.setMessageState(c!.id, 'read')).toBe(true);
    expect((await store.listMessages('list')).map((m) => m.id)).toEqual([c!.id, a!.id]);
    expect((await store.listMessages('list', { state: 'all' })).map((m) => m.id)).toEqual([c!.id, b!.id, a!.id]);
    expect((await store.listMessages('list', { state: 'new' })).map((m) => m.id)).toEqual([a!.id]);
    expect((await store.listMessages('list', { state: 'deleted' })).map((m) => m.id)).toEqual([b!.id]);
    expect((await store.listMessages('list', { limit: 1 })).map((m) => m.id)).toEqual([c!.id]);
    expect(await store.listMessages('nobody')).toEqual([]);
  });

  test('mark read/unread/deleted and restore; unknown or malformed ids change nothing', async () => {
    const m = message({ mailbox: 'marks' });
    const { message: stored } = await store.commitMessage(m);
    expect(await store.setMessageState(m.id, 'read')).toBe(true);
    const read = await store.getMessage(m.id);
    expect(read?.state).toBe('read');
    expect(read!.updatedAt.getTime()).toBeGreaterThanOrEqual(stored.updatedAt.getTime());
    expect(await store.setMessageState(m.id, 'new')).toBe(true);
    expect((await store.getMessage(m.id))?.state).toBe('new');
    expect(await store.setMessageState(randomUUID(), 'read')).toBe(false);
    expect(await store.setMessageState('not-a-uuid', 'read')).toBe(false);
    expect(await store.getMessage('not-a-uuid')).toBeUndefined();
  });

  test('MWI counts: new, old, urgent new, urgent old; deleted messages do not count', async () => {
    const mk = (urgent: boolean) => message({ mailbox: 'mwi', urgent });
    const rows = [mk(false), mk(false), mk(true), mk(false), mk(true), mk(true)];
    for (const r of rows) await store.commitMessage(r);
    await store.setMessageState(rows[3]!.id, 'read');
    await store.setMessageState(rows[4]!.id, 'read');
    await store.setMessageState(rows[5]!.id, 'deleted');
    expect(await store.countMessages('mwi')).toEqual({ newMessages: 3, oldMessages: 2, urgentNew: 1, urgentOld: 1 });
    expect(await store.countMessages('empty')).toEqual({ newMessages: 0, oldMessages: 0, urgentNew: 0, urgentOld: 0 });
  });

  test('mailbox size counts messages not deleted plus greetings and the recorded name', async () => {
    expect(await store.mailboxSize('size')).toBe(0);
    const kept = message({ mailbox: 'size', sizeBytes: 1000 });
    const gone = message({ mailbox: 'size', sizeBytes: 300 });
    await store.commitMessage(kept);
    await store.commitMessage(gone);
    await store.setMessageState(gone.id, 'deleted');
    await store.setGreeting({ mailbox: 'size', kind: 'personal', audioPath: 'greetings/size/personal.wav', durationMs: 3000, sizeBytes: 48_000, updatedAt: new Date() });
    await store.setGreeting({ mailbox: 'size', kind: 'name', audioPath: 'greetings/size/name.wav', durationMs: 1000, sizeBytes: 16_000, updatedAt: new Date() });
    expect(await store.mailboxSize('size')).toBe(1000 + 48_000 + 16_000);
  });

  test('greetings: one per kind, replaced (returning the old one), read and deleted', async () => {
    const first = { mailbox: 'greet', kind: 'oof' as const, audioPath: 'greetings/greet/oof-1.wav', durationMs: 2000, sizeBytes: 32_000, updatedAt: new Date('2024-01-01T00:00:00Z') };
    expect(await store.setGreeting(first)).toBeUndefined();
    const second = { ...first, audioPath: 'greetings/greet/oof-2.wav', durationMs: 2500, updatedAt: new Date('2024-01-02T00:00:00Z') };
    expect(await store.setGreeting(second)).toEqual(first);
    expect(await store.getGreeting('greet', 'oof')).toEqual(second);
    expect(await store.getGreeting('greet', 'personal')).toBeUndefined();
    expect(await store.deleteGreeting('greet', 'oof')).toEqual(second);
    expect(await store.deleteGreeting('greet', 'oof')).toBeUndefined();
    expect(await store.getGreeting('greet', 'oof')).toBeUndefined();
  });

  test('out-of-office flag per mailbox: off by default, on, off', async () => {
    expect(await store.getOutOfOffice('oof')).toBe(false);
    await store.setOutOfOffice('oof', true);
    expect(await store.getOutOfOffice('oof')).toBe(true);
    expect(await store.getOutOfOffice('someone-else')).toBe(false);
    await store.setOutOfOffice('oof', false);
    expect(await store.getOutOfOffice('oof')).toBe(false);
  });

  test('soft-deleted messages are listed for purging, oldest deletion first, and removed for good', async () => {
    const ids = [message({ mailbox: 'purge' }), message({ mailbox: 'purge' })];
    for (const m of ids) await store.commitMessage(m);
    for (const m of ids) await store.setMessageState(m.id, 'deleted');
    const deleted = (await store.listDeletedMessages()).filter((m) => m.mailbox === 'purge');
    expect(deleted.map((m) => m.id).sort()).toEqual(ids.map((m) => m.id).sort());
    expect(await store.removeMessages([ids[0]!.id, 'junk'])).toBe(1);
    expect(await store.getMessage(ids[0]!.id)).toBeUndefined();
    expect(await store.removeMessages([])).toBe(0);
  });

  test('a message id that is not a UUID is refused', async () => {
    await expect(store.commitMessage(message({ id: 'nope' }))).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_BAD_ARGUMENT' });
  });

  test('a database migrated by a newer openum is refused at open', async () => {
    const newer = await backend.fresh('newer');
    const first = await openMessageStore(newer);
    await first.commitMessage(message(), {
      alsoInTransaction: (tx) => tx.execute(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`, [LATEST_SCHEMA_VERSION + 1, 'future', 'x']).then(() => undefined),
    });
    await first.close();
    const opening = openMessageStore(newer);
    await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(opening).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_SCHEMA_TOO_NEW', got: LATEST_SCHEMA_VERSION + 1, need: LATEST_SCHEMA_VERSION });
  });

  test('a closed store refuses work; close is idempotent', async () => {
    const other = await openMessageStore(await backend.fresh('closing'));
    await other.close();
    await other.close();
    await expect(other.getMessage(randomUUID())).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_STORE' });
  });
});

describe('SQLite store file', () => {
  test('is <DataDirectory>/openum.sqlite in WAL mode with synchronous = FULL on the store connection', async () => {
    const dataDirectory = join(folder(), 'nested', 'data');
    const store = await openMessageStore({ Server: { DataDirectory: dataDirectory, Storage: { Kind: 'sqlite' } } });
    try {
      let pragmas: unknown[] = [];
      await store.commitMessage(message(), {
        alsoInTransaction: async (tx) => {
          pragmas = [(await tx.execute('PRAGMA journal_mode')).rows[0], (await tx.execute('PRAGMA synchronous')).rows[0]];
        },
      });
      expect(pragmas).toEqual([{ journal_mode: 'wal' }, { synchronous: 2 }]);
      expect(existsSync(join(dataDirectory, 'openum.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('openMessageStore configuration', () => {
  test('postgres without a Url is a typed error', async () => {
    await expect(openMessageStore({ Server: { DataDirectory: folder(), Storage: { Kind: 'postgres' } } })).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_STORE' });
  });

  test('an unreachable PostgreSQL is a typed error naming the URL without its password', async () => {
    const opening = openMessageStore({ Server: { DataDirectory: folder(), Storage: { Kind: 'postgres', Url: 'postgres://u:secret@127.0.0.1:1/x' } } });
    await expect(opening).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_STORE' });
    await expect(opening).rejects.not.toThrow(/secret/);
  });
});
