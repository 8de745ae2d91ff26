// `openum mailbox list|play|export|delete`, run in-process on a program built the way src/cli/main.ts
// builds it, with captured output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerMailboxCommands } from '../../../src/cli/commands/mailbox.js';
import { OpenumError } from '../../../src/errors.js';
import type { MessageStore, StoredMessage } from '../../../src/mailbox/index.js';
import { MailboxService, openMessageStore } from '../../../src/mailbox/index.js';
import { captureOutput } from '../../support/capture-output.js';
import { decode, labConfiguration, labConfigurationText, mediaRecordings, probe, tone } from './mailbox-fixture.js';

let dir: string;
let configFile: string;
let pcm: StoredMessage;
let mp3: StoredMessage;

/** What src/cli/main.ts does around a command: exit code from setExit, typed errors to stderr. */
async function cli(...argv: string[]) {
  const io = captureOutput();
  let code = 0;
  const program = new Command('openum').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerMailboxCommands(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof OpenumError) {
      io.err(`openum: ${error.message}`);
      code = error.code === 'OPENUM_DIRECTORY_NOT_FOUND' ? 2 : 1;
      return { code, errorCode: error.code, ...io };
    } else throw error;
  }
  return { code, errorCode: undefined as string | undefined, ...io };
}

async function record(service: MailboxService, mailbox: string, ms: number, caller: string | null, callerName: string | null): Promise<StoredMessage> {
  const pending = await service.beginMessage({ mailbox, dialPlanCodec: 'Mp3', caller, callerName, callId: `${mailbox}@cli` });
  pending.sink.write(tone(ms));
  return (await pending.commit({ voicedMs: ms, samples: (ms * 8000) / 1000, trailingSilenceSamples: 0 }))!.delivered;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openum-mailbox-cli-'));
  configFile = join(dir, 'openum.yaml');
  writeFileSync(configFile, labConfigurationText(join(dir, 'data')));
  const configuration = labConfiguration(join(dir, 'data'));
  const store: MessageStore = await openMessageStore(configuration);
  const service = await MailboxService.create({ configuration, store, recordings: mediaRecordings });
  pcm = await record(service, 'pcm', 1500, null, null);
  mp3 = await record(service, 'mp3', 2000, '+14255550199', 'Jo Caller');
  await service.close();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openum mailbox', () => {
  test('list --json: one object per message with absolute audio path and seconds', async () => {
    const r = await cli('mailbox', 'list', '--config', configFile, '--json', 'MP3');
    expect(r.code).toBe(0);
    expect(r.stdout.map((l) => JSON.parse(l))).toEqual([
      {
        id: mp3.id, mailbox: 'mp3', caller: '+14255550199', callerName: 'Jo Caller', receivedAt: mp3.receivedAt.toISOString(),
        durationSeconds: 2, durationMs: 2000, codec: 'Mp3', audioPath: join(dir, 'data', 'messages', 'mp3', `${mp3.id}.mp3`),
        sizeBytes: mp3.sizeBytes, state: 'new', urgent: false, recovered: false, callId: 'mp3@cli',
      },
    ]);
  });

  test('list (human): a line per message and a summary', async () => {
    const r = await cli('mailbox', 'list', '--config', configFile, 'pcm');
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(2);
    expect(r.stdout[0]).toContain(pcm.id);
    expect(r.stdout[0]).toContain('anonymous caller');
    expect(r.stdout[1]).toBe('1 message(s) listed; 1 new, 0 old');
  });

  test('play decodes to an 8 kHz PCM WAV at --out and prints its path', async () => {
    const out = join(dir, 'played.wav');
    const r = await cli('mailbox', 'play', '--config', configFile, '--out', out, 'mp3', mp3.id);
    expect(r).toMatchObject({ code: 0, stdout: [out] });
    const info = await probe(out);
    expect(info).toMatchObject({ codec: 'pcm_s16le', sampleRate: 8000, channels: 1 });
    expect(Math.abs(info.decodedMs - 2000)).toBeLessThanOrEqual(50);
  });

  test('play without --out writes a temporary file', async () => {
    const r = await cli('mailbox', 'play', '--config', configFile, 'pcm', pcm.id);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toMatch(/openum-play-.*\.wav$/);
    expect((await decode(r.stdout[0]!)).length).toBe(12_000);
    rmSync(join(r.stdout[0]!, '..'), { recursive: true, force: true });
  });

  test('export copies the stored file byte for byte', async () => {
    const out = join(dir, 'exported.mp3');
    const r = await cli('mailbox', 'export', '--config', configFile, '--out', out, 'mp3', mp3.id);
    expect(r).toMatchObject({ code: 0, stdout: [out] });
    expect(readFileSync(out).equals(readFileSync(join(dir, 'data', mp3.audioPath)))).toBe(true);
  });

  test('a message of another mailbox, or an unknown id, is not found (exit 1); an unknown alias is a usage error (exit 2)', async () => {
    expect(await cli('mailbox', 'export', '--config', configFile, '--out', join(dir, 'x'), 'pcm', mp3.id)).toMatchObject({ code: 1, errorCode: 'OPENUM_MAILBOX_MESSAGE_NOT_FOUND' });
    expect(await cli('mailbox', 'delete', '--config', configFile, 'pcm', 'nope')).toMatchObject({ code: 1, errorCode: 'OPENUM_MAILBOX_MESSAGE_NOT_FOUND' });
    expect(await cli('mailbox', 'list', '--config', configFile, 'nobody')).toMatchObject({ code: 2, errorCode: 'OPENUM_DIRECTORY_NOT_FOUND' });
    expect((await cli('mailbox', 'export', '--config', configFile, 'pcm', pcm.id)).code).toBe(2); // --out is required
  });

  test('delete is soft (listed with --state deleted, file kept); delete --purge removes file and row', async () => {
    const r = await cli('mailbox', 'delete', '--config', configFile, 'pcm', pcm.id);
    expect(r).toMatchObject({ code: 0, stdout: [`deleted ${pcm.id}`] });
    expect((await cli('mailbox', 'list', '--config', configFile, '--json', 'pcm')).stdout).toEqual([]);
    const deleted = await cli('mailbox', 'list', '--config', configFile, '--json', '--state', 'deleted', 'pcm');
    expect(deleted.stdout.map((l) => JSON.parse(l).id)).toEqual([pcm.id]);
    const file = join(dir, 'data', pcm.audioPath);
    expect(existsSync(file)).toBe(true);
    expect((await cli('mailbox', 'delete', '--config', configFile, '--purge', 'pcm', pcm.id)).stdout).toEqual([`purged ${pcm.id}`]);
    expect(existsSync(file)).toBe(false);
    expect((await cli('mailbox', 'list', '--config', configFile, '--json', '--state', 'all', 'pcm')).stdout).toEqual([]);
  });
});
