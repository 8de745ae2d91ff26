import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageStore, NewMessage, StorageCodec, StoreTransaction } from '../../../src/mailbox/index.js';
import { FfmpegUnavailableError, MailboxService, openMessageStore } from '../../../src/mailbox/index.js';
import type { MailboxServiceOptions } from '../../../src/mailbox/index.js';
import { pcmToBytes, readWavFile, wavHeader } from '../../../src/media/index.js';
import { decode, labConfiguration, mediaRecordings, probe, tone } from './mailbox-fixture.js';

let dir: string;
let store: MessageStore;
const services: MailboxService[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openum-mailbox-'));
  store = await openMessageStore(labConfiguration(dir));
});
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function service(options: Partial<MailboxServiceOptions> = {}): Promise<MailboxService> {
  const created = await MailboxService.create({ configuration: labConfiguration(dir), store, recordings: mediaRecordings, retryDelayMs: 1, ...options });
  services.push(created);
  return created;
}

/** Records `voiceMs` of tone then `silenceMs` of silence, as the recorder would report it. */
async function leaveMessage(mailboxes: MailboxService, mailbox: string, voiceMs: number, silenceMs: number, dialPlanCodec: StorageCodec = 'Mp3') {
  const pending = await mailboxes.beginMessage({ mailbox, dialPlanCodec, caller: '+14255550199', callerName: 'Jo Caller', callId: 'call-1@test' });
  const voice = tone(voiceMs);
  const silence = new Int16Array((silenceMs * 8000) / 1000);
  pending.sink.write(voice);
  pending.sink.write(silence);
  const committed = await pending.commit({ voicedMs: voiceMs, samples: voice.length + silence.length, trailingSilenceSamples: silence.length });
  return { pending, committed };
}

function spoolFiles(mailbox: string): string[] {
  const folder = join(dir, 'spool', mailbox);
  return existsSync(folder) ? readdirSync(folder) : [];
}

describe('MailboxService: delivering a message in each storage codec (spec §3.3)', () => {
  const cases: { mailbox: string; codec: StorageCodec; ext: string; ffCodec: string; format: string }[] = [
    { mailbox: 'pcm', codec: 'G711', ext: 'wav', ffCodec: 'pcm_s16le', format: 'wav' },
    { mailbox: 'gsm', codec: 'Gsm', ext: 'wav', ffCodec: 'gsm_ms', format: 'wav' },
    { mailbox: 'mp3', codec: 'Mp3', ext: 'mp3', ffCodec: 'mp3', format: 'mp3' },
    { mailbox: 'wma', codec: 'Wma', ext: 'wma', ffCodec: 'wmav2', format: 'asf' },
  ];

  test.each(cases)('$codec: trimmed, encoded to .$ext ($ffCodec, 8 kHz mono), row inserted, master removed', async (c) => {
    const mailboxes = await service();
    const { committed } = await leaveMessage(mailboxes, c.mailbox, 3000, 1500);
    expect(committed).toMatchObject({ mailbox: c.mailbox, codec: c.codec, durationMs: 3000 });
    const stored = await committed!.delivered;
    expect(stored).toMatchObject({ id: committed!.id, mailbox: c.mailbox, codec: c.codec, durationMs: 3000, state: 'new', recovered: false, caller: '+14255550199', callerName: 'Jo Caller', callId: 'call-1@test' });
    expect(stored.audioPath).toBe(`messages/${c.mailbox}/${stored.id}.${c.ext}`);
    const file = mailboxes.audioFilePath(stored);
    expect(file).toBe(join(dir, 'messages', c.mailbox, `${stored.id}.${c.ext}`));
    expect(stored.sizeBytes).toBe(statSync(file).size);
    const info = await probe(file);
    expect(info).toMatchObject({ codec: c.ffCodec, sampleRate: 8000, channels: 1, format: c.format });
    expect(Math.abs(info.decodedMs - 3000)).toBeLessThanOrEqual(50);
    expect(spoolFiles(c.mailbox)).toEqual([]);
    expect(readdirSync(join(dir, 'messages', c.mailbox))).toEqual([`${stored.id}.${c.ext}`]);
    expect(await store.getMessage(stored.id)).toEqual(stored);
  });

  test.each(cases)('$codec: the audio starts where it did (no lost or added lead-in)', async (c) => {
    const mailboxes = await service();
    const pending = await mailboxes.beginMessage({ mailbox: c.mailbox, dialPlanCodec: 'Mp3', caller: null });
    pending.sink.write(new Int16Array(4000));
    pending.sink.write(tone(1000));
    const stored = await (await pending.commit({ voicedMs: 1000, samples: 12_000, trailingSilenceSamples: 0 }))!.delivered;
    const decoded = await decode(mailboxes.audioFilePath(stored));
    const onset = decoded.findIndex((v) => Math.abs(v) > 2000);
    expect(Math.abs(onset - 4000)).toBeLessThanOrEqual(40);
  });

  test('G711 keeps the samples exactly (the lossless master, trailing silence cut)', async () => {
    const mailboxes = await service();
    const { committed } = await leaveMessage(mailboxes, 'pcm', 1200, 700);
    const stored = await committed!.delivered;
    expect(Array.from(await readWavFile(mailboxes.audioFilePath(stored)))).toEqual(Array.from(tone(1200)));
  });

  test("the dial plan's codec applies when the mailbox has no CallAnsweringAudioCodec; the mailbox's overrides it", async () => {
    const mailboxes = await service();
    const plain = await mailboxes.beginMessage({ mailbox: 'plain', dialPlanCodec: 'Gsm', caller: null });
    expect(plain.codec).toBe('Gsm');
    await plain.discard();
    const pcm = await mailboxes.beginMessage({ mailbox: 'PCM', dialPlanCodec: 'Gsm', caller: null });
    expect(pcm.codec).toBe('G711');
    expect(pcm.mailbox).toBe('pcm');
    await pcm.discard();
  });
});

describe('MailboxService: the 1 s rule, discard, sidecar (spec §3.2 step 4)', () => {
  test('under 1 s of voice: discarded, nothing stored, spool empty', async () => {
    const mailboxes = await service();
    const { committed, pending } = await leaveMessage(mailboxes, 'pcm', 900, 2000);
    expect(committed).toBeUndefined();
    expect(pending.state).toBe('discarded');
    expect(spoolFiles('pcm')).toEqual([]);
    expect(await store.listMessages('pcm', { state: 'all' })).toEqual([]);
  });

  test('exactly 1 s of voice is kept', async () => {
    const mailboxes = await service();
    const { committed } = await leaveMessage(mailboxes, 'pcm', 1000, 0);
    expect((await committed!.delivered).durationMs).toBe(1000);
  });

  test('the sidecar is on disk before any audio and names mailbox, caller and codec; discard removes both', async () => {
    const mailboxes = await service({ now: () => new Date('2024-05-01T10:00:00.000Z'), newId: () => '00000000-0000-4000-8000-000000000001' });
    const pending = await mailboxes.beginMessage({ mailbox: 'gsm', dialPlanCodec: 'Mp3', caller: 'sip:jo@fabrikam.com', callerName: null, callId: 'c@x' });
    expect(spoolFiles('gsm').sort()).toEqual([`${pending.id}.json`, `${pending.id}.wav.partial`]);
    expect(JSON.parse(readFileSync(join(dir, 'spool', 'gsm', `${pending.id}.json`), 'utf8'))).toEqual({
      version: 1, id: pending.id, mailbox: 'gsm', caller: 'sip:jo@fabrikam.com', callerName: null, callId: 'c@x', receivedAt: '2024-05-01T10:00:00.000Z', codec: 'Gsm',
    });
    await pending.discard();
    await pending.discard();
    expect(spoolFiles('gsm')).toEqual([]);
    await expect(pending.commit({ voicedMs: 5000, samples: 0, trailingSilenceSamples: 0 })).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_INVALID_STATE' });
  });

  test('an unknown mailbox is refused with a typed error', async () => {
    const mailboxes = await service();
    await expect(mailboxes.beginMessage({ mailbox: 'nobody', dialPlanCodec: 'G711', caller: null })).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_BAD_ARGUMENT' });
  });
});

describe('MailboxService: delivery transaction and retries', () => {
  test('inDeliveryTransaction runs in the row transaction; onMessageDelivered after it', async () => {
    const seen: string[] = [];
    const mailboxes = await service({
      inDeliveryTransaction: async (message: NewMessage, tx: StoreTransaction) => {
        const { rows } = await tx.execute('SELECT state FROM messages WHERE id = ?', [message.id]);
        seen.push(`tx:${String(rows[0]?.state)}`);
      },
      onMessageDelivered: (message) => seen.push(`delivered:${message.id}`),
    });
    const { committed } = await leaveMessage(mailboxes, 'pcm', 1500, 0);
    await committed!.delivered;
    expect(seen).toEqual(['tx:new', `delivered:${committed!.id}`]);
  });

  test('when every attempt fails the master stays in the spool, and recover() delivers it later', async () => {
    let attempts = 0;
    const failing = await service({ deliveryAttempts: 3, inDeliveryTransaction: () => { attempts++; throw new Error('outbox down'); } });
    const { committed } = await leaveMessage(failing, 'mp3', 1500, 0);
    await expect(committed!.delivered).rejects.toThrow();
    expect(attempts).toBe(3);
    expect(await store.getMessage(committed!.id)).toBeUndefined();
    expect(spoolFiles('mp3').sort()).toEqual([`${committed!.id}.json`, `${committed!.id}.wav`]);
    // No encoder output is left behind by the failed attempts.
    expect(readdirSync(join(dir, 'messages', 'mp3'))).toEqual([`${committed!.id}.mp3`]);

    const healthy = await service();
    const report = await healthy.recover();
    expect(report.delivered.map((m) => [m.id, m.recovered])).toEqual([[committed!.id, false]]);
    expect(report.failed).toEqual([]);
    expect(spoolFiles('mp3')).toEqual([]);
    expect((await healthy.recover()).delivered).toEqual([]);
  });
});

describe('MailboxService.recover()', () => {
  function spool(mailbox: string, id: string, samples: Int16Array, options: { partial?: boolean; sidecar?: boolean } = {}): void {
    const folder = join(dir, 'spool', mailbox);
    mkdirSync(folder, { recursive: true });
    if (options.sidecar !== false) {
      writeFileSync(join(folder, `${id}.json`), JSON.stringify({ version: 1, id, mailbox, caller: null, callerName: null, callId: null, receivedAt: '2024-05-01T10:00:00.000Z', codec: 'G711' }));
    }
    // A partial recording has the placeholder (zero) header a crash leaves.
    const header = wavHeader(options.partial ? 0 : samples.length * 2);
    writeFileSync(join(folder, options.partial ? `${id}.wav.partial` : `${id}.wav`), Buffer.concat([header, pcmToBytes(samples)]));
  }
  const ID = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', '44444444-4444-4444-8444-444444444444'] as const;

  test('a partial recording of ≥ 1 s becomes a message flagged recovered; under 1 s it is dropped', async () => {
    spool('pcm', ID[0], tone(2500), { partial: true });
    spool('pcm', ID[1], tone(600), { partial: true });
    const mailboxes = await service();
    const report = await mailboxes.recover();
    expect(report.delivered.map((m) => ({ id: m.id, recovered: m.recovered, durationMs: m.durationMs, receivedAt: m.receivedAt.toISOString() }))).toEqual([
      { id: ID[0], recovered: true, durationMs: 2500, receivedAt: '2024-05-01T10:00:00.000Z' },
    ]);
    expect(report.dropped).toEqual([ID[1]]);
    expect(spoolFiles('pcm')).toEqual([]);
    expect(Array.from(await readWavFile(mailboxes.audioFilePath(report.delivered[0]!)))).toEqual(Array.from(tone(2500)));
  });

  test('a committed master never encoded is encoded and delivered, not flagged recovered', async () => {
    spool('pcm', ID[2], tone(1500));
    const report = await (await service()).recover();
    expect(report.delivered.map((m) => [m.id, m.recovered, m.durationMs])).toEqual([[ID[2], false, 1500]]);
  });

  test('a crash after the row, before the clean-up: no duplicate, the spool is cleaned', async () => {
    const mailboxes = await service();
    const { committed } = await leaveMessage(mailboxes, 'pcm', 1500, 0);
    const stored = await committed!.delivered;
    spool('pcm', stored.id, tone(1500));
    const report = await mailboxes.recover();
    expect(report.delivered.map((m) => m.id)).toEqual([stored.id]);
    expect(await store.listMessages('pcm', { state: 'all' })).toHaveLength(1);
    expect(spoolFiles('pcm')).toEqual([]);
  });

  test('sidecars without audio and half-written encoder output are removed; a recording without sidecar is left alone', async () => {
    const folder = join(dir, 'spool', 'pcm');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${ID[3]}.json`), JSON.stringify({ version: 1, id: ID[3], mailbox: 'pcm', caller: null, callerName: null, callId: null, receivedAt: '2024-05-01T10:00:00.000Z', codec: 'G711' }));
    mkdirSync(join(dir, 'messages', 'mp3'), { recursive: true });
    writeFileSync(join(dir, 'messages', 'mp3', `${ID[0]}.mp3.abcd1234.tmp`), 'half');
    spool('pcm', ID[1], tone(1500), { sidecar: false });
    const report = await (await service()).recover();
    expect(report.dropped).toEqual([ID[3]]);
    expect(report.delivered).toEqual([]);
    expect(readdirSync(join(dir, 'messages', 'mp3'))).toEqual([]);
    expect(spoolFiles('pcm')).toEqual([`${ID[1]}.wav`]);
  });
});

describe('MailboxService: quota, delete and purge', () => {
  test('a mailbox at its ProhibitSendReceiveQuota is over quota; greetings count; Unlimited never is', async () => {
    const mailboxes = await service();
    expect(await mailboxes.isOverQuota('small')).toBe(false);
    // 100 KB quota (102 400 bytes); 3 s of PCM is 48 044 bytes.
    const { committed } = await leaveMessage(mailboxes, 'small', 3000, 0);
    await committed!.delivered;
    expect(await mailboxes.isOverQuota('small')).toBe(false);
    await store.setGreeting({ mailbox: 'small', kind: 'personal', audioPath: 'greetings/small/personal.wav', durationMs: 3500, sizeBytes: 56_000, updatedAt: new Date() });
    expect(await store.mailboxSize('small')).toBe(48_044 + 56_000);
    expect(await mailboxes.isOverQuota('small')).toBe(true);
    // Deleting the message brings it back under.
    expect(await mailboxes.deleteMessage('small', committed!.id)).toBe(true);
    expect(await mailboxes.isOverQuota('small')).toBe(false);
    const big = await leaveMessage(mailboxes, 'plain', 4000, 0, 'G711');
    await big.committed!.delivered;
    expect(await mailboxes.isOverQuota('plain')).toBe(false);
  });

  test('delete is soft (the file stays) until purgeDeleted removes file and row; another mailbox cannot delete it', async () => {
    const mailboxes = await service();
    const { committed } = await leaveMessage(mailboxes, 'pcm', 1500, 0);
    const stored = await committed!.delivered;
    expect(await mailboxes.deleteMessage('gsm', stored.id)).toBe(false);
    expect(await mailboxes.deleteMessage('pcm', stored.id)).toBe(true);
    expect((await store.getMessage(stored.id))?.state).toBe('deleted');
    expect(existsSync(mailboxes.audioFilePath(stored))).toBe(true);
    expect(await mailboxes.purgeDeleted()).toBe(1);
    expect(existsSync(mailboxes.audioFilePath(stored))).toBe(false);
    expect(await store.getMessage(stored.id)).toBeUndefined();
  });
});

describe('MailboxService.create: ffmpeg (Debian package ffmpeg)', () => {
  test('missing ffmpeg with a codec that needs it: a typed error naming the package', async () => {
    const creating = MailboxService.create({ configuration: labConfiguration(dir), store, recordings: mediaRecordings, ffmpegPath: join(dir, 'no-such-ffmpeg') });
    await expect(creating).rejects.toBeInstanceOf(FfmpegUnavailableError);
    await expect(creating).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_FFMPEG_UNAVAILABLE', codecs: ['Gsm', 'Mp3', 'Wma'] });
    await expect(creating).rejects.toThrow(/package ffmpeg/);
  });

  test('every codec G711: ffmpeg is not needed', async () => {
    const all = labConfiguration(dir, 'G711');
    const configuration = { ...all, UMMailboxes: all.UMMailboxes.filter((m) => m.CallAnsweringAudioCodec === 'G711' || m.CallAnsweringAudioCodec === undefined) };
    const created = await MailboxService.create({ configuration, store, recordings: mediaRecordings, ffmpegPath: join(dir, 'no-such-ffmpeg') });
    services.push(created);
    const { committed } = await leaveMessage(created, 'pcm', 1500, 0);
    expect((await committed!.delivered).codec).toBe('G711');
  });
});

describe('MailboxService.greetingFile', () => {
  test('a stored greeting whose file exists is returned; a missing file counts as no greeting', async () => {
    const mailboxes = await service();
    const alias = labConfiguration(dir).UMMailboxes[0]!.Alias;
    expect(await mailboxes.greetingFile(alias, 'personal')).toBeUndefined();
    mkdirSync(join(dir, 'greetings'), { recursive: true });
    writeFileSync(join(dir, 'greetings', 'personal.wav'), Buffer.alloc(100));
    await store.setGreeting({ mailbox: alias, kind: 'personal', audioPath: 'greetings/personal.wav', durationMs: 1000, sizeBytes: 100, updatedAt: new Date() });
    await store.setGreeting({ mailbox: alias, kind: 'name', audioPath: 'greetings/gone.wav', durationMs: 1000, sizeBytes: 100, updatedAt: new Date() });
    expect(await mailboxes.greetingFile(alias, 'personal')).toBe(join(dir, 'greetings', 'personal.wav'));
    expect(await mailboxes.greetingFile(alias, 'name')).toBeUndefined();
  });
});
