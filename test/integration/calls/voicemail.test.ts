import { main } from '../../../src/cli/main.js';
import { readWavFile } from '../../../src/media/index.js';
import { bestAlignment, readMulawWav, withoutConcealment } from '../../support/audio-compare.js';
import { captureOutput } from '../../support/capture-output.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { runSipp } from '../../support/sipp.js';

const SENT = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));

/** Length of the span between the first and last sample above a level, ms (8 kHz). */
function activeSpanMs(samples: Int16Array, level = 300): number {
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > level) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? 0 : ((last - first + 1) / 8000) * 1000;
}

function call(openum: OpenumUnderTest, scenario: string, mailbox = 'kim', transport = 'u1') {
  const port = transport === 'u1' ? openum.udpPort : openum.tcpPort;
  return runSipp([`127.0.0.1:${port}`, '-sf', scenario, '-s', '50101', '-key', 'diversion', `${mailbox}@contoso.com`, '-t', transport, '-m', '1'], { hardLimitMs: 40000 });
}

/** Where the speech in the sent audio ends, ms: a stored message, trimmed of trailing silence, is this long. */
const SENT_SPEECH_END_MS = (() => {
  let last = 0;
  for (let i = 0; i < SENT.length; i++) if (Math.abs(SENT[i]!) > 300) last = i;
  return ((last + 1) / 8000) * 1000;
})();

const ok = (r: { code: number | null; output: string }) => ({ code: r.code, output: r.code === 0 ? '' : r.output });

describe('voicemail call answering with SIPp as the gateway (G711 storage)', () => {
  let openum: OpenumUnderTest;
  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(0) }));
  });
  afterAll(async () => openum?.stop());

  test.each([
    ['# ends the recording (UDP)', 'leave-message-pound.xml', 'u1', 'terminator'],
    ['# ends the recording (TCP)', 'leave-message-pound.xml', 't1', 'terminator'],
    ['# pressed before the greeting even started (type-ahead)', 'leave-message-typeahead.xml', 'u1', 'terminator'],
    ['the caller hangs up', 'leave-message-hangup.xml', 'u1', 'hangup'],
    ['silence ends the recording', 'leave-message-silence.xml', 'u1', 'silence'],
  ])('%s: the stored message is the audio the caller sent', async (_name, scenario, transport, reason) => {
    const outcome = openum.nextOutcome(40000);
    expect(ok(await call(openum, scenario, 'kim', transport))).toEqual({ code: 0, output: '' });
    const o = await outcome;
    expect(o).toMatchObject({ mailbox: 'kim', result: 'message', caller: { id: '+12065550100', isNumber: true }, recording: { reason } });
    const stored = await o.message!.delivered;
    expect(stored).toMatchObject({ mailbox: 'kim', caller: '+12065550100', codec: 'G711', state: 'new' });
    const audio = await readWavFile(openum.node.mailboxes.audioFilePath(stored));
    expect(bestAlignment(withoutConcealment(SENT), withoutConcealment(audio), 8000).correlation).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(activeSpanMs(audio) - activeSpanMs(SENT))).toBeLessThanOrEqual(50);
    // The trailing silence (up to RecordingIdleTimeout, 3 s) is trimmed: the message ends with the speech.
    expect(Math.abs(stored.durationMs - SENT_SPEECH_END_MS)).toBeLessThanOrEqual(50);
  }, 50000);

  test('a caller who hangs up during the greeting leaves no message', async () => {
    const before = (await openum.node.store.listMessages('kim')).length;
    const outcome = openum.nextOutcome(20000);
    expect(ok(await call(openum, 'hang-up-during-greeting.xml'))).toEqual({ code: 0, output: '' });
    expect((await outcome).result).toBe('caller-hung-up-during-greeting');
    expect((await openum.node.store.listMessages('kim')).length).toBe(before);
  }, 30000);

  test('an anonymous caller is refused by a mailbox that does not take anonymous messages', async () => {
    const outcome = openum.nextOutcome(20000);
    expect(ok(await call(openum, 'anonymous-caller.xml', 'erin'))).toEqual({ code: 0, output: '' });
    expect(await outcome).toMatchObject({ mailbox: 'erin', result: 'anonymous-refused', caller: { id: null } });
    expect(await openum.node.store.listMessages('erin')).toEqual([]);
  }, 30000);

  test('a mailbox over its quota hears that it cannot take messages', async () => {
    const outcome = openum.nextOutcome(20000);
    expect(ok(await call(openum, 'mailbox-full.xml', 'full'))).toEqual({ code: 0, output: '' });
    expect(await outcome).toMatchObject({ mailbox: 'full', result: 'mailbox-full' });
  }, 30000);

  test('openum mailbox list --json shows the messages with absolute audio paths', async () => {
    const io = captureOutput();
    expect(await main(['mailbox', 'list', '--config', openum.configFile, 'kim', '--json'], io)).toBe(0);
    const rows = io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(row).toMatchObject({ caller: '+12065550100', codec: 'G711', state: 'new' });
      expect(String(row['audioPath'])).toMatch(/^\/.*\.wav$/);
      expect(Number(row['durationSeconds'])).toBeGreaterThanOrEqual(3);
    }
  }, 30000);
});

describe('voicemail with Mp3 storage', () => {
  let openum: OpenumUnderTest;
  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(1), audioCodec: 'Mp3' }));
  });
  afterAll(async () => openum?.stop());

  test('the message is encoded off the call path and stored as MP3', async () => {
    const outcome = openum.nextOutcome(40000);
    expect(ok(await call(openum, 'leave-message-pound.xml'))).toEqual({ code: 0, output: '' });
    const stored = await (await outcome).message!.delivered;
    expect(stored.codec).toBe('Mp3');
    expect(stored.audioPath).toMatch(/\.mp3$/);
    expect(stored.sizeBytes).toBeGreaterThan(1000);
    expect(Math.abs(stored.durationMs - SENT_SPEECH_END_MS)).toBeLessThanOrEqual(50);
  }, 50000);
});
