// Crash safety of message recording end to end: a child process records several messages at once
// through the compiled MailboxService and is killed with SIGKILL; a fresh service's recover() must
// deliver each as a message flagged recovered, holding at least every sample that had been fsynced.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailboxService, openMessageStore } from '../../../src/mailbox/index.js';
import { readWavFile } from '../../../src/media/index.js';
import { repoPath } from '../../support/paths.js';
import { decode, labConfiguration, labConfigurationText, mediaRecordings } from './mailbox-fixture.js';

const CHILD = repoPath('test/support/mailbox-crash-child.mjs');
const COMPILED = repoPath('dist/src/mailbox/index.js');
const KILL_AFTER_SYNCED = 2 * 8000; // samples each recording must have fsynced before the kill
const MAILBOXES = ['pcm', 'gsm', 'mp3'];

function sample(k: number, i: number): number {
  return ((i + k * 7919) % 20000) - 10000;
}

interface ChildMessage {
  k: number;
  id: string;
  mailbox: string;
  path: string;
}

describe('crash safety of messages (kill -9 while several callers are recording)', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-mailbox-crash-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('recover() delivers every recording, flagged recovered, with all fsynced audio; the committed one exactly once', async () => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: run \`npm run build\` first (npm test does)`);
    const configFile = join(dir, 'openum.yaml');
    writeFileSync(configFile, labConfigurationText(join(dir, 'data')));
    const running = fork(CHILD, [configFile, ...MAILBOXES], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = running;
    const synced = new Map<string, number>();
    let messages: ChildMessage[] = [];
    let early = '';
    const exited = new Promise<{ signal: NodeJS.Signals | null }>((resolve) => running.on('exit', (_code, signal) => resolve({ signal })));
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    running.on('message', (m: { ready?: boolean; early?: string; messages?: ChildMessage[]; path?: string; synced?: number }) => {
      if (m.ready) {
        messages = m.messages ?? [];
        early = m.early ?? '';
        return;
      }
      if (m.path === undefined || m.synced === undefined) return;
      // Every report received was an fsync completed before the kill, even one arriving after it.
      synced.set(m.path, Math.max(synced.get(m.path) ?? 0, m.synced));
      const all = messages.length === MAILBOXES.length && messages.every((x) => (synced.get(x.path) ?? 0) >= KILL_AFTER_SYNCED);
      // Killed a little after the syncs, mid-stream: some audio was written after them and not fsynced.
      if (all && !killTimer) killTimer = setTimeout(() => running.kill('SIGKILL'), 30);
    });
    const { signal } = await exited;
    clearTimeout(killTimer);
    expect(signal).toBe('SIGKILL');
    expect(messages.map((m) => m.mailbox)).toEqual(MAILBOXES);
    for (const m of messages) expect(existsSync(`${m.path}.partial`)).toBe(true);

    const configuration = labConfiguration(join(dir, 'data'));
    const store = await openMessageStore(configuration);
    try {
      const service = await MailboxService.create({ configuration, store, recordings: mediaRecordings });
      const report = await service.recover();
      expect(report.failed).toEqual([]);
      for (const m of messages) {
        const stored = await store.getMessage(m.id);
        expect(stored).toMatchObject({ id: m.id, mailbox: m.mailbox, recovered: true, state: 'new', caller: 'sip:jo@fabrikam.com', callerName: 'Jo', callId: `${m.mailbox}@test` });
        const fsynced = synced.get(m.path)!;
        expect(stored!.durationMs).toBeGreaterThanOrEqual(Math.floor((fsynced * 1000) / 8000));
        const file = service.audioFilePath(stored!);
        // G711 stores the master itself: every sample can be checked. The others decode to at least as much.
        const samples = m.mailbox === 'pcm' ? await readWavFile(file) : await decode(file);
        expect(samples.length).toBeGreaterThanOrEqual(fsynced);
        if (m.mailbox === 'pcm') {
          let firstWrong = -1;
          for (let i = 0; i < samples.length && firstWrong < 0; i++) if (samples[i] !== sample(m.k, i)) firstWrong = i;
          expect(firstWrong).toBe(-1);
        }
      }
      // The message committed before the kill is there once, not flagged recovered.
      const wma = await store.listMessages('wma', { state: 'all' });
      expect(wma.map((m) => [m.id, m.recovered, m.durationMs])).toEqual([[early, false, 2000]]);
      for (const mailbox of [...MAILBOXES, 'wma']) expect(readdirSync(join(dir, 'data', 'spool', mailbox))).toEqual([]);
      // Recovery is idempotent.
      expect(await service.recover()).toEqual({ delivered: [], dropped: [], failed: [] });
      await service.close();
    } finally {
      await store.close();
    }
  });
});
