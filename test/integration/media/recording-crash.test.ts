import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverPartialRecordings } from '../../../src/media/recording-file.js';
import { readWavFile } from '../../../src/media/wav-file.js';
import { repoPath } from '../../support/paths.js';

const CHILD = repoPath('test/support/recording-child.mjs');
const COMPILED = repoPath('dist/src/media/index.js');
const FRAMES = 3000; // 60 s of audio: the child is still writing when it is killed
const KILL_AFTER_SYNCED = 3 * 8000; // samples: three fsyncs' worth (3 s)

describe('crash safety of recordings (kill -9 while recording)', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-crash-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('recovery finds every sample the recording had fsynced before the kill, intact', async () => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: run \`npm run build\` first (npm test does)`);
    const path = join(dir, 'message.wav');
    const running = fork(CHILD, [path, String(FRAMES)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = running;
    let lastSynced = 0;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      running.on('exit', (code, signal) => resolve({ code, signal }));
    });
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    running.on('message', (message: { synced?: number }) => {
      if (message.synced === undefined) return;
      // Every report received was an fsync that completed before the kill, even one arriving after it.
      lastSynced = Math.max(lastSynced, message.synced);
      // Killed a little after the sync, mid-stream: some audio was written after it and not fsynced.
      if (lastSynced >= KILL_AFTER_SYNCED && !killTimer) killTimer = setTimeout(() => running.kill('SIGKILL'), 30);
    });
    const { signal } = await exited;
    clearTimeout(killTimer);
    expect(signal).toBe('SIGKILL');
    expect(lastSynced).toBeGreaterThanOrEqual(KILL_AFTER_SYNCED);
    expect(readdirSync(dir)).toEqual(['message.wav.partial']);

    const recovered = await recoverPartialRecordings(dir);
    expect(recovered).toHaveLength(1);
    const [entry] = recovered;
    expect(entry?.path).toBe(path);
    expect(entry?.samples).toBeGreaterThanOrEqual(lastSynced);
    expect(entry?.samples).toBeLessThan(FRAMES * 160);

    const samples = await readWavFile(path);
    expect(samples.length).toBe(entry?.samples);
    let firstWrong = -1;
    for (let i = 0; i < samples.length && firstWrong < 0; i++) {
      if (samples[i] !== (i % 20000) - 10000) firstWrong = i;
    }
    expect(firstWrong).toBe(-1);
    console.log(`killed after ${lastSynced} samples fsynced; recovered ${samples.length} (${(samples.length - lastSynced) / 8} ms beyond the last fsync)`);
  }, 20_000);
});
