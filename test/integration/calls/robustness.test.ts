import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { readWavFile } from '../../../src/media/index.js';
import { bestAlignment, readMulawWav, withoutConcealment } from '../../support/audio-compare.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { runSipp } from '../../support/sipp.js';
import { mutate, prng } from '../../support/sip-mutations.js';

const MAX_MUTATIONS = 400;
const TIME_BUDGET_MS = 8000;

/** A forwarded call for kim's mailbox: routed, then refused 480 (no voicemail application in this test), so mutants that stay valid do not pile up as calls. */
function invite(port: number, n: number): Buffer {
  const sdp = 'v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  return Buffer.from(
    `INVITE sip:50101@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-fuzz-${n}\r\nFrom: <sip:+12065550100@127.0.0.1>;tag=f${n}\r\n` +
      `To: <sip:50101@127.0.0.1>\r\nDiversion: <sip:kim@contoso.com>;reason=no-answer\r\nCall-ID: fuzz-${n}@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:gw@127.0.0.1:5999>\r\n` +
      `Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`,
    'latin1',
  );
}

describe('robustness of a running server', () => {
  let openum: OpenumUnderTest;
  const portMin = rtpPortBase(3);
  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: portMin, maxCalls: 1000 }));
  });
  afterAll(async () => openum?.stop());

  test('random mutations of an INVITE over UDP and TCP never take it down; a real call still works', async () => {
    const random = prng(0x5eed);
    const udp = createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    udp.on('message', () => undefined); // answers are not the point; staying up is
    const tcp = connect(openum.tcpPort, '127.0.0.1');
    tcp.on('error', () => undefined); // openum may close a connection after garbage framing
    tcp.on('data', () => undefined);
    await once(tcp, 'connect');
    const started = Date.now();
    let sent = 0;
    for (; sent < MAX_MUTATIONS && Date.now() - started < TIME_BUDGET_MS; sent++) {
      const message = mutate(invite(openum.udpPort, sent), random);
      udp.send(message, openum.udpPort, '127.0.0.1');
      if (!tcp.destroyed) tcp.write(message);
      if (sent % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    udp.close();
    tcp.destroy();
    expect(sent).toBeGreaterThan(50);

    const report = openum.nextReport(30000);
    const call = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: call.code, output: call.code === 0 ? '' : call.output }).toEqual({ code: 0, output: '' });
    // Calls the fuzzer created may finish first; wait for the SIPp call's report (3 digits).
    let r = await report;
    while (r.digits !== '123') r = await openum.nextReport(30000);
    expect(r.digits).toBe('123');
  }, 60000);

  test('junk datagrams on every RTP port during a call neither crash openum nor spoil the recording', async () => {
    const junk = createSocket('udp4');
    junk.bind(0, '127.0.0.1');
    await once(junk, 'listening');
    const random = prng(42);
    const report = openum.nextReport(30000);
    const call = runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-m', '1'], { hardLimitMs: 30000 });
    await new Promise((r) => setTimeout(r, 800));
    for (let round = 0; round < 3; round++) {
      for (let port = portMin; port <= portMin + 399; port++) {
        const length = Math.floor(random() * 200);
        const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
        if (length > 1 && round === 1) bytes[0] = 0x80; // looks like RTP version 2
        junk.send(bytes, port, '127.0.0.1');
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    junk.close();
    const result = await call;
    expect({ code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ code: 0, output: '' });
    let r = await report;
    while (r.digits !== '123') r = await openum.nextReport(30000);
    const recorded = await readWavFile(r.recordingPath);
    const sent = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));
    expect(bestAlignment(withoutConcealment(sent), withoutConcealment(recorded), 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }, 60000);
});
