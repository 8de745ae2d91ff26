// `openum token create|list|revoke` and `openum password set`, run in-process (through main, and through
// a program built the same way for the stdin-reading command), against a SQLite store in a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { readFirstLineFrom, registerCredentialCommands } from '../../../src/cli/commands/credentials.js';
import { main } from '../../../src/cli/main.js';
import { OpenumError } from '../../../src/errors.js';
import { openMessageStore } from '../../../src/mailbox/index.js';
import { captureOutput } from '../../support/capture-output.js';
import { labConfiguration, labConfigurationText } from '../mailbox/mailbox-fixture.js';

let dir: string;
let configFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openum-credentials-cli-'));
  configFile = join(dir, 'openum.yaml');
  writeFileSync(configFile, labConfigurationText(join(dir, 'data')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openum(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, ...io };
}

/** `openum password set` with `stdin` as its standard input, handled as main.ts handles errors. */
async function passwordSet(alias: string, stdin: string) {
  const io = captureOutput();
  let code = 0;
  const program = new Command('openum').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerCredentialCommands(program, io, (c) => (code = c), async () => stdin.split(/\r?\n/)[0] ?? '');
  try {
    await program.parseAsync(['password', 'set', '--config', configFile, alias], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof OpenumError) {
      io.err(`openum: ${error.message}`);
      code = error.code === 'OPENUM_DIRECTORY_NOT_FOUND' ? 2 : 1;
    } else throw error;
  }
  return { code, ...io };
}

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openMessageStore>>) => Promise<T>): Promise<T> {
  const store = await openMessageStore(labConfiguration(join(dir, 'data')));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('openum token', () => {
  test('create prints the token as the last line; it verifies to the mailbox; list shows it without the secret', async () => {
    const created = await openum('token', 'create', '--config', configFile, 'MP3', '--label', 'kitchen tablet');
    expect(created.code).toBe(0);
    const token = created.stdout.at(-1)!;
    expect(token).toMatch(/^openum_[A-Za-z0-9_-]{43}$/);
    expect(await withStore((store) => store.credentials.verifyToken(token))).toBe('mp3');

    const listed = await openum('token', 'list', '--config', configFile, '--json', 'mp3');
    expect(listed.code).toBe(0);
    const entries = listed.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ mailbox: 'mp3', label: 'kitchen tablet', lastUsedAt: expect.any(String) });
    expect(listed.stdout.join('\n')).not.toContain(token);

    const human = await openum('token', 'list', '--config', configFile, 'mp3');
    expect(human.stdout.at(-1)).toBe('1 token(s) for mp3');
    expect(human.stdout[0]).toContain(String(entries[0]!.id));
  });

  test('revoke stops the token; revoking it again, or another mailbox\'s, fails with exit 1', async () => {
    const token = (await openum('token', 'create', '--config', configFile, 'gsm')).stdout.at(-1)!;
    const [entry] = (await openum('token', 'list', '--config', configFile, '--json', 'gsm')).stdout.map((l) => JSON.parse(l) as { id: string });
    expect((await openum('token', 'revoke', '--config', configFile, 'pcm', entry!.id)).code).toBe(1);
    expect(await withStore((store) => store.credentials.verifyToken(token))).toBe('gsm');
    const revoked = await openum('token', 'revoke', '--config', configFile, 'gsm', entry!.id);
    expect(revoked).toMatchObject({ code: 0, stdout: [`revoked ${entry!.id}`] });
    expect(await withStore((store) => store.credentials.verifyToken(token))).toBeUndefined();
    const again = await openum('token', 'revoke', '--config', configFile, 'gsm', entry!.id);
    expect(again.code).toBe(1);
    expect(again.stderr.join('\n')).toContain(entry!.id);
  });

  test('an unknown alias is refused with exit 2 and a message naming it', async () => {
    const r = await openum('token', 'create', '--config', configFile, 'nobody');
    expect(r.code).toBe(2);
    expect(r.stdout).toEqual([]);
    expect(r.stderr.join('\n')).toContain('nobody');
  });

  test('a missing alias argument is a usage error', async () => {
    expect((await openum('token', 'create', '--config', configFile)).code).toBe(2);
  });
});

describe('openum password set', () => {
  test('sets the password from the first line of stdin, replaces it on a second run', async () => {
    const first = await passwordSet('wma', 'first secret\nsecond line ignored\n');
    expect(first).toMatchObject({ code: 0, stdout: ['password set for wma'] });
    expect(await withStore((store) => store.credentials.verifyPassword('wma', 'first secret'))).toBe(true);
    expect(await withStore((store) => store.credentials.verifyPassword('wma', 'second line ignored'))).toBe(false);

    expect((await passwordSet('WMA', 'another secret\r\n')).code).toBe(0);
    expect(await withStore((store) => store.credentials.verifyPassword('wma', 'first secret'))).toBe(false);
    expect(await withStore((store) => store.credentials.verifyPassword('wma', 'another secret'))).toBe(true);
  });

  test('an unknown alias is refused with exit 2 before reading a password', async () => {
    const r = await passwordSet('nobody', 'whatever long');
    expect(r.code).toBe(2);
    expect(r.stderr.join('\n')).toContain('nobody');
  });

  test('a short or empty password is refused with exit 2 and nothing is stored', async () => {
    expect((await passwordSet('small', 'short\n')).code).toBe(2);
    expect((await passwordSet('small', '')).code).toBe(2);
    expect(await withStore((store) => store.credentials.hasPassword('small'))).toBe(false);
  });

  test('is registered in main (help lists it)', async () => {
    const r = await openum('password', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.join('\n')).toContain('set');
  });
});

describe('reading the password from standard input', () => {
  test('takes the first line only, without CR or LF; an empty input gives ""', async () => {
    expect(await readFirstLineFrom(Readable.from(['pass word é', ' more\r\nsecond\n']))).toBe('pass word é more');
    expect(await readFirstLineFrom(Readable.from(['no newline at all']))).toBe('no newline at all');
    expect(await readFirstLineFrom(Readable.from([]))).toBe('');
  });
});
