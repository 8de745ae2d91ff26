// The credential store contract (spec §8.1: Basic against the mailbox's credentials, or a bearer token
// issued by openum), on SQLite and PostgreSQL: passwords salted with scrypt, tokens stored as hashes,
// revocation, case-insensitive aliases, and one store seen by two nodes.
import { openMessageStore, SqlCredentialStore } from '../../../src/mailbox/index.js';
import type { MessageStore } from '../../../src/mailbox/index.js';
import { sharedStores, STORE_BACKENDS, stopStoreBackends } from '../../support/store-backends.js';

afterAll(stopStoreBackends, 60_000);

describe.each(STORE_BACKENDS)('credential store on $name', (backend) => {
  // A second node on the same database (PostgreSQL is what several nodes share).
  const stores = sharedStores(backend, 'credentials');

  test('a password set is verified; a wrong one, another mailbox, or no password is not', async () => {
    expect(await stores.store.credentials.hasPassword('kim')).toBe(false);
    expect(await stores.store.credentials.verifyPassword('kim', 'correct horse')).toBe(false);
    await stores.store.credentials.setPassword('Kim', 'correct horse');
    expect(await stores.store.credentials.hasPassword('KIM')).toBe(true);
    expect(await stores.store.credentials.verifyPassword('kim', 'correct horse')).toBe(true);
    expect(await stores.store.credentials.verifyPassword('KIM', 'correct horse')).toBe(true);
    expect(await stores.store.credentials.verifyPassword('kim', 'correct horsE')).toBe(false);
    expect(await stores.store.credentials.verifyPassword('kim', '')).toBe(false);
    expect(await stores.store.credentials.verifyPassword('lee', 'correct horse')).toBe(false);
  });

  test('the stored password is a salted scrypt hash with its parameters, never the password', async () => {
    await stores.store.credentials.setPassword('salt1', 'same password');
    await stores.store.credentials.setPassword('salt2', 'same password');
    const rows = await rawRows(stores.store, "SELECT mailbox, hash FROM credentials WHERE kind = 'password' AND mailbox IN ('salt1', 'salt2') ORDER BY mailbox");
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(String(row.hash)).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(String(row.hash)).not.toContain('same password');
    }
    expect(rows[0]!.hash).not.toBe(rows[1]!.hash);
  });

  test('replacing a password makes the old one fail', async () => {
    await stores.store.credentials.setPassword('ann', 'first password');
    await stores.store.credentials.setPassword('ANN', 'second password');
    expect(await stores.store.credentials.verifyPassword('ann', 'first password')).toBe(false);
    expect(await stores.store.credentials.verifyPassword('ann', 'second password')).toBe(true);
    expect(await stores.store.credentials.removePassword('ann')).toBe(true);
    expect(await stores.store.credentials.removePassword('ann')).toBe(false);
    expect(await stores.store.credentials.verifyPassword('ann', 'second password')).toBe(false);
  });

  test('a password too short or too long is refused with OPENUM_MAILBOX_BAD_ARGUMENT', async () => {
    await expect(stores.store.credentials.setPassword('kim', 'short')).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_BAD_ARGUMENT' });
    await expect(stores.store.credentials.setPassword('kim', 'x'.repeat(1025))).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_BAD_ARGUMENT' });
    expect(await stores.store.credentials.verifyPassword('kim', 'correct horse')).toBe(true);
  });

  test('a token is shown once as openum_<base64url>, stored as its SHA-256, and verifies to its mailbox', async () => {
    const { token, info } = await stores.store.credentials.createToken('Kim', { label: 'phone' });
    expect(token).toMatch(/^openum_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ mailbox: 'kim', label: 'phone', lastUsedAt: null });
    const rows = await rawRows(stores.store, 'SELECT hash FROM credentials WHERE id = ?', [info.id]);
    expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token.slice(7));
    expect(await stores.store.credentials.verifyToken(token)).toBe('kim');
    expect(await stores.store.credentials.verifyToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await stores.store.credentials.verifyToken('openum_short')).toBeUndefined();
    expect(await stores.store.credentials.verifyToken('')).toBeUndefined();
  });

  test('tokens are listed without their secret, with last use; revoking one stops it and only it', async () => {
    const first = await stores.store.credentials.createToken('lee', { label: 'laptop' });
    const other = await stores.store.credentials.createToken('lee');
    await stores.store.credentials.verifyToken(first.token);
    const listed = await stores.store.credentials.listTokens('LEE');
    expect(listed.map((t) => t.id).sort()).toEqual([first.info.id, other.info.id].sort());
    expect(listed.find((t) => t.id === first.info.id)).toMatchObject({ label: 'laptop', mailbox: 'lee' });
    expect(listed.find((t) => t.id === first.info.id)?.lastUsedAt).toBeInstanceOf(Date);
    expect(listed.find((t) => t.id === other.info.id)).toMatchObject({ label: null, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(first.token);

    expect(await stores.store.credentials.revokeToken('kim', first.info.id)).toBe(false); // not kim's
    expect(await stores.store.credentials.revokeToken('lee', first.info.id)).toBe(true);
    expect(await stores.store.credentials.revokeToken('lee', first.info.id)).toBe(false);
    expect(await stores.store.credentials.verifyToken(first.token)).toBeUndefined();
    expect(await stores.store.credentials.verifyToken(other.token)).toBe('lee');
    expect((await stores.store.credentials.listTokens('lee')).map((t) => t.id)).toEqual([other.info.id]);
  });

  test('a token id cannot be used as a password row and a password never verifies as a token', async () => {
    await stores.store.credentials.setPassword('zoe', 'openum_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(await stores.store.credentials.verifyToken('openum_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(await stores.store.credentials.listTokens('zoe')).toEqual([]);
  });

  test('another node on the same database sees the same credentials', async () => {
    if (stores.second === undefined) return expect(backend.name).toBe('sqlite');
    const { token } = await stores.store.credentials.createToken('kim');
    expect(await stores.second.credentials.verifyToken(token)).toBe('kim');
    await stores.second.credentials.setPassword('kim', 'set on node two');
    expect(await stores.store.credentials.verifyPassword('kim', 'set on node two')).toBe(true);
  });
});

test('hashes made with other scrypt parameters still verify after the default changes', async () => {
  const configuration = await STORE_BACKENDS[0]!.fresh('credentials-cost');
  const store = await openMessageStore(configuration);
  try {
    const runner = (store as unknown as { runner: ConstructorParameters<typeof SqlCredentialStore>[0] }).runner;
    const cheap = new SqlCredentialStore(runner, { scrypt: { N: 1024, r: 8, p: 1 } });
    await cheap.setPassword('kim', 'cheap password');
    expect(await store.credentials.verifyPassword('kim', 'cheap password')).toBe(true);
    expect(await store.credentials.verifyPassword('kim', 'cheap passwords')).toBe(false);
  } finally {
    await store.close();
  }
});

/** Reads rows directly, to check what is stored (the store's runner is private; tests reach it anyway). */
async function rawRows(store: MessageStore, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const runner = (store as unknown as { runner: { query(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }> } }).runner;
  return (await runner.query(sql, params)).rows;
}
