import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/capture-output.js';
import { rtpPortBase, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { runSipp } from '../../support/sipp.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAILBOXES = ['kim', 'erin', 'ana'];

/** Starts `openum serve` as a real process; resolves with its SIP port once it serves. */
async function serve(config: string): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [repoPath('bin/openum.js'), 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  for (let i = 0; i < 150; i++) {
    const line = out.split('\n').find((l) => l.includes('"openum serving"'));
    if (line) return { child, exited, port: Number(String((JSON.parse(line) as { sip: string[] }).sip[0]).split(':').pop()) };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`openum did not start:\n${out}`);
}

test('kill -9 in the middle of three recordings: the next start recovers each message with the audio received', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openum-crash-'));
  const config = join(dir, 'openum.yaml');
  const site = testSiteYaml({ rtpPortMin: rtpPortBase(2) })
    .replace('Server:\n', 'Server:\n  Sip: { Listen: ["udp:127.0.0.1:0"] }\n  Http: { Listen: "127.0.0.1:0" }\n')
    .replace('  - { Alias: erin,', '  - { Alias: ana, DisplayName: Ana Trujillo, PrimarySmtpAddress: ana@contoso.com, UMMailboxPolicy: Default, Extensions: ["50103"], SIPResourceIdentifier: ana@contoso.com }\n  - { Alias: erin,')
    .replace('AnonymousCallersCanLeaveMessages: false', 'AnonymousCallersCanLeaveMessages: true');
  writeFileSync(config, site);
  try {
    const first = await serve(config);
    const calls = MAILBOXES.map((m) => runSipp([`127.0.0.1:${first.port}`, '-sf', 'leave-long-message.xml', '-s', '50101', '-key', 'diversion', `${m}@contoso.com`, '-d', '20000', '-m', '1'], { hardLimitMs: 9000 }));
    // Greeting skipped after 0.5 s, speech from about 1.2 s: kill after 5 s of speech.
    await sleep(6500);
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(calls); // they fail (openum is gone) and are cut short by the hard limit

    const second = await serve(config);
    try {
      for (const mailbox of MAILBOXES) {
        const io = captureOutput();
        expect(await main(['mailbox', 'list', '--config', config, mailbox, '--json'], io)).toBe(0);
        const messages = io.stdout.map((l) => JSON.parse(l) as { recovered: boolean; durationMs: number; caller: string; codec: string });
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatchObject({ recovered: true, caller: '+12065550100', codec: 'G711' });
        // About 5 s was spoken; the recording is fsynced every second, so at least 3.5 s survives.
        expect(messages[0]!.durationMs).toBeGreaterThanOrEqual(3500);
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90000);
