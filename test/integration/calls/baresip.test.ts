import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEEP, parseWav, readWavFile, toneSamples, writeWavFile } from '../../../src/media/index.js';
import { bestAlignment, readMulawWav, withoutConcealment } from '../../support/audio-compare.js';
import { runBaresipCall } from '../../support/baresip.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';

// The 3 s sentence SIPp streams, as the 16-bit PCM aufile needs (µ-law decodes and re-encodes
// losslessly, so what openum records can match it exactly).
const SPEECH = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));
const CALL_SECONDS = 4;

describe('openum serve called by baresip, a real softphone (headless, UDP on 127.0.0.1)', () => {
  let openum: OpenumUnderTest;
  let dir: string;
  let sourceWav: string;

  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(1) }));
    dir = mkdtempSync(join(tmpdir(), 'openum-baresip-test-'));
    sourceWav = join(dir, 'caller.wav');
    // Speech then silence, longer than the call: aufile ends the call at end of file, and the hang-up
    // under test is baresip's own after CALL_SECONDS (-t), with a BYE.
    const padded = new Int16Array(10 * 8000);
    padded.set(SPEECH);
    await writeWavFile(sourceWav, padded);
  });
  afterAll(async () => {
    await openum?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the call is answered, openum records what baresip sends, baresip hears the beep, BYE ends it', async () => {
    const report = openum.nextReport(30000);
    const call = await runBaresipCall({ target: `sip:99999@127.0.0.1:${openum.udpPort}`, sourceWav, seconds: CALL_SECONDS });
    const log = call.log.replace(/\[\d+:\d\d:\d\d\] audio=\S+ \(bit\/s\)\s*/g, '');
    expect({ code: call.code, killed: call.killed, log: call.code === 0 ? '' : log.slice(-4000) }).toEqual({ code: 0, killed: false, log: '' });
    expect(log).toContain('Call established: sip:99999@127.0.0.1');
    expect(log).not.toContain('audio error');

    const r = await report;
    expect(r.recording.reason).toBe('hangup');
    const recorded = await readWavFile(r.recordingPath);
    expect(recorded.length).toBeGreaterThan(8000);
    expect(bestAlignment(withoutConcealment(SPEECH), withoutConcealment(recorded), 8000).correlation).toBeGreaterThanOrEqual(0.99);

    // baresip's own dumps (sndfile): it sent the file unaltered and heard openum's 1 kHz beep.
    expect(call.sentWav).not.toBeNull();
    expect(bestAlignment(SPEECH, parseWav(call.sentWav!), 8000).correlation).toBeGreaterThanOrEqual(0.99);
    expect(call.heardWav).not.toBeNull();
    expect(bestAlignment(toneSamples(BEEP), parseWav(call.heardWav!), 4000).correlation).toBeGreaterThanOrEqual(0.99);
    expect(openum.server.activeCalls).toBe(0);
  }, 60000);

  test('the helper always ends baresip: a call that would outlast the hard limit is killed there', async () => {
    // No-one answers on the closed port, so baresip would wait for its -t of 60 s.
    const call = await runBaresipCall({ target: 'sip:99999@127.0.0.1:9', sourceWav, seconds: 60, hardLimitMs: 2000 });
    expect({ killed: call.killed, code: call.code }).toEqual({ killed: true, code: null });
    expect(call.log).toContain('baresip is ready');
  }, 20000);

  test('baresip leaves a voice message: the stored message is what it sent, after the greeting', async () => {
    // The system greeting for kim (spec §3.2): "please leave a message for" 5 0 1 0 1 "after the tone", then the tone.
    const prompts = openum.node.prompts;
    const greetingItems = [...prompts.items('please-leave-a-message-for'), ...prompts.digits('50101'), ...prompts.items('after-the-tone', 'tone')];
    let greetingSamples = 0;
    for (const item of greetingItems) if (item.kind === 'file') greetingSamples += (await readWavFile(item.path)).length;
    // Speak 1 s after the tone would have ended, then stay silent until baresip hangs up.
    const speakAt = greetingSamples + 8000;
    const source = new Int16Array(speakAt + SPEECH.length + 12 * 8000);
    source.set(SPEECH, speakAt);
    const wav = join(dir, 'message.wav');
    await writeWavFile(wav, source);
    const seconds = Math.ceil((speakAt + SPEECH.length) / 8000) + 2;
    const outcome = openum.nextOutcome(60000);
    const call = await runBaresipCall({ target: `sip:50101@127.0.0.1:${openum.udpPort}`, sourceWav: wav, seconds });
    expect({ code: call.code, killed: call.killed }).toEqual({ code: 0, killed: false });
    const o = await outcome;
    expect(o).toMatchObject({ mailbox: 'kim', result: 'message', recording: { reason: 'hangup' } });
    const stored = await o.message!.delivered;
    const audio = await readWavFile(openum.node.mailboxes.audioFilePath(stored));
    expect(bestAlignment(withoutConcealment(SPEECH), withoutConcealment(audio), 3 * 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }, 60000);
});
