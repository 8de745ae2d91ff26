import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import alawmulaw from 'alawmulaw';
import { BEEP, readWavFile, toneSamples } from '../../../src/media/index.js';
import { bestAlignment, readMulawWav, withoutConcealment } from '../../support/audio-compare.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { runSipp } from '../../support/sipp.js';
import { waitFor } from '../../support/wait-for.js';

const CALLER_AUDIO = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));

describe('openum serve with SIPp as the gateway (test extension)', () => {
  let openum: OpenumUnderTest;

  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(0) }));
  });
  afterAll(async () => openum?.stop());

  test.each([
    ['UDP', 'u1'],
    ['TCP', 't1'],
  ])('a forwarded call over %s: audio recorded as sent, DTMF from INFO and RFC 4733 seen, clean BYE', async (_name, transport) => {
    const port = transport === 'u1' ? openum.udpPort : openum.tcpPort;
    const report = openum.nextReport(20000);
    const sipp = await runSipp([`127.0.0.1:${port}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-t', transport, '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    const r = await report;
    expect(r.digits).toBe('123');
    expect(r.recording.reason).toBe('hangup');
    const recorded = await readWavFile(r.recordingPath);
    const { correlation } = bestAlignment(withoutConcealment(CALLER_AUDIO), withoutConcealment(recorded), 8000);
    expect(correlation).toBeGreaterThanOrEqual(0.99);
  }, 40000);

  test('forwarded calls over UDP with 10 % of SIP messages lost complete through retransmissions', async () => {
    const before = openum.reports.length;
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-m', '3', '-r', '1', '-lost', '10'], { hardLimitMs: 60000 });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    for (let i = 0; i < 3; i++) await openum.nextReport(20000);
    expect(openum.reports.length - before).toBe(3);
  }, 70000);

  test('an offer-less INVITE is answered with an offer and the ACK carries the answer', async () => {
    const report = openum.nextReport(20000);
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'offerless-invite.xml', '-s', '99999', '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    const recorded = await readWavFile((await report).recordingPath);
    expect(bestAlignment(withoutConcealment(CALLER_AUDIO.subarray(0, 8000)), withoutConcealment(recorded), 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }, 40000);

  test('CANCEL while ringing: 487, and the test application never runs', async () => {
    const before = openum.reports.length;
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'cancel-before-answer.xml', '-s', '99999', '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(openum.reports.length).toBe(before);
    expect(openum.server.activeCalls).toBe(0);
  }, 40000);

  test.each([
    ['unknown target → 404', 'unknown-target.xml', '59999', '127.0.0.1'],
    ['a source that is no gateway → 403', 'not-a-gateway.xml', '99999', '127.0.0.2'],
    ['no common codec → 488', 'no-common-codec.xml', '99999', '127.0.0.1'],
  ])('%s', async (_name, scenario, service, localAddress) => {
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', scenario, '-s', service, '-m', '1'], { hardLimitMs: 30000, localAddress });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
  }, 40000);

  test('the RTP openum sends decodes to its prompt (a 1 kHz beep), paced at 20 ms', async () => {
    // SIPp does the signalling; the SDP points at this socket, which only listens.
    const rtp = createSocket('udp4');
    rtp.bind(0, '127.0.0.1');
    await once(rtp, 'listening');
    const packets: { at: number; payload: Buffer; pt: number }[] = [];
    rtp.on('message', (m) => packets.push({ at: performance.now(), pt: m[1]! & 0x7f, payload: m.subarray(12) }));
    const report = openum.nextReport(20000);
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'signalling-only.xml', '-s', '99999', '-key', 'rtp_port', String(rtp.address().port), '-m', '1'], { hardLimitMs: 30000 });
    await report;
    rtp.close();
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    const audio = packets.filter((p) => p.pt === 0);
    expect(audio.length).toBeGreaterThan(50);
    const decoded = alawmulaw.mulaw.decode(Buffer.concat(audio.map((p) => p.payload)));
    const beep = toneSamples(BEEP);
    expect(bestAlignment(beep, decoded, 1600).correlation).toBeGreaterThanOrEqual(0.99);
    // Pacing: the median gap between packets is 20 ms.
    const gaps = audio.slice(1).map((p, i) => p.at - audio[i]!.at).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(15);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(25);
  }, 40000);

  test('re-INVITE hold (sendonly) stops openum sending RTP and resume restarts it', async () => {
    const rtp = createSocket('udp4');
    rtp.bind(0, '127.0.0.1');
    await once(rtp, 'listening');
    const arrivals: number[] = [];
    rtp.on('message', (m) => {
      if ((m[1]! & 0x7f) === 0) arrivals.push(performance.now());
    });
    const report = openum.nextReport(20000);
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'hold-resume.xml', '-s', '99999', '-key', 'rtp_port', String(rtp.address().port), '-m', '1'], { hardLimitMs: 30000 });
    await report;
    rtp.close();
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    const gaps = arrivals.slice(1).map((t, i) => ({ gap: t - arrivals[i]!, at: i + 1 }));
    const hold = gaps.reduce((a, b) => (b.gap > a.gap ? b : a));
    expect(hold.gap).toBeGreaterThan(1200); // silent while held (1.5 s)
    expect(hold.at).toBeGreaterThan(30); // it sent before the hold…
    expect(arrivals.length - hold.at).toBeGreaterThan(30); // …and again after the resume
  }, 40000);
});

describe('where media runs (Server.Rtp.MediaThreads)', () => {
  /** One forwarded call through the test extension; the recording must be what SIPp sent. */
  async function callRecordsWhatWasSent(openum: OpenumUnderTest): Promise<void> {
    const report = openum.nextReport(20000);
    const sipp = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
    const r = await report;
    expect(r.digits).toBe('123');
    expect(bestAlignment(withoutConcealment(CALLER_AUDIO), withoutConcealment(await readWavFile(r.recordingPath)), 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }

  const health = async (openum: OpenumUnderTest) =>
    (await (await fetch(`http://127.0.0.1:${openum.server.httpPort}/healthz`)).json()) as { mediaThreads: number; clock: { ticks: number; pacingErrorMs: object; tickDoneErrorMs: object } };

  test.each([
    ['0: in the SIP thread', 0],
    ['2: two media threads', 2],
  ])('MediaThreads %s — a call records what was sent, and /healthz says where media runs', async (_name, threads) => {
    const openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(1), mediaThreads: threads }));
    try {
      await callRecordsWhatWasSent(openum);
      const report = await health(openum);
      expect(report.mediaThreads).toBe(threads);
      // The clock(s) ticked for the call; threads report theirs once a second.
      await waitFor('clock figures', async () => ((await health(openum)).clock.ticks > 0 ? true : undefined), 5000);
      expect(report.clock).toHaveProperty('tickDoneErrorMs');
    } finally {
      await openum.stop();
    }
  }, 60000);
});
