import pino from 'pino';
import { SipEndpoint } from '../../../src/sip/index.js';
import { TcpPeer, UdpPeer } from '../../unit/sip/support/sip-peers.js';
import { branch, request, SDP_OFFER, statusOf } from '../../unit/sip/support/sip-messages.js';
import { mutate, prng } from '../../support/sip-mutations.js';

const MAX_MUTATIONS = 300;
const TIME_BUDGET_MS = 8000;

describe('malformed input never takes the endpoint down', () => {
  let endpoint: SipEndpoint;
  let udpPort: number;
  let tcpPort: number;
  let invites = 0;

  beforeAll(async () => {
    endpoint = await SipEndpoint.start({
      listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }],
      logger: pino({ level: 'silent' }),
      maxMessageSize: 16_384,
      resolveTarget: (uri) => uri.user === '4711',
      delegate: {
        onInvite: (uas) => {
          invites++;
          uas.reject({ statusCode: 486 });
        },
      },
    });
    udpPort = endpoint.listeners[0]?.port ?? 0;
    tcpPort = endpoint.listeners[1]?.port ?? 0;
  });

  afterAll(() => endpoint.close());

  async function stillAnswersOptions(): Promise<void> {
    const udp = await UdpPeer.open(udpPort);
    const tcp = await TcpPeer.open(tcpPort);
    try {
      await udp.send(request({ method: 'OPTIONS', via: `Via: SIP/2.0/UDP 127.0.0.1:${udp.port};branch=${branch()}` }));
      await udp.next(/^SIP\/2\.0 200/);
      await tcp.send(request({ method: 'OPTIONS', via: `Via: SIP/2.0/TCP 127.0.0.1:${tcp.port};branch=${branch()}` }));
      await tcp.next(/^SIP\/2\.0 200/);
    } finally {
      udp.close();
      tcp.close();
    }
  }

  const valid = (transport: string, port: number) => request({
    method: 'INVITE', uri: 'sip:4711@127.0.0.1', transport, via: `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=${branch()};rport`, body: SDP_OFFER,
  });

  const handCrafted: Array<[string, (t: string, p: number) => string | Buffer]> = [
    ['truncated in the start line', (t, p) => valid(t, p).slice(0, 12)],
    ['truncated in the headers', (t, p) => valid(t, p).slice(0, 120)],
    ['truncated in the body (Content-Length larger than the body)', (t, p) => valid(t, p).slice(0, -20)],
    ['garbage header lines', (t, p) => valid(t, p).replace('Max-Forwards: 70', ':::\r\n\x01\x02: \r\nNoColonHere\r\nMax-Forwards: x')],
    ['a huge header (over the cap)', (t, p) => valid(t, p).replace('Max-Forwards: 70', `X-Huge: ${'a'.repeat(20_000)}`)],
    ['a large header (under the cap)', (t, p) => valid(t, p).replace('Max-Forwards: 70', `Subject: ${'b'.repeat(12_000)}`)],
    ['a bad Content-Length', (t, p) => valid(t, p).replace(/Content-Length: \d+/, 'Content-Length: -3')],
    ['a non-numeric Content-Length', (t, p) => valid(t, p).replace(/Content-Length: \d+/, 'Content-Length: lots')],
    ['binary junk', () => Buffer.from(Array.from({ length: 600 }, (_v, i) => (i * 131 + 7) % 256))],
    ['a response nobody asked for', () => 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n'],
    ['a response with a broken CSeq', () => 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\nCSeq: banana\r\nContent-Length: 0\r\n\r\n'],
    ['a CANCEL matching nothing', (t, p) => request({ method: 'CANCEL', transport: t, via: `Via: SIP/2.0/${t} 127.0.0.1:${p};branch=${branch()}`, contact: null })],
    ['an out-of-dialog PRACK (405 before SIP.js, whose switch would throw)', (t, p) => request({ method: 'PRACK', transport: t, via: `Via: SIP/2.0/${t} 127.0.0.1:${p};branch=${branch()}` })],
    ['a Via without branch', (t, p) => valid(t, p).replace(/;branch=[^;\r\n]+/, '')],
    ['no Via at all', (t, p) => valid(t, p).replace(/Via: [^\r\n]+\r\n/, '')],
  ];

  it.each(handCrafted)('survives %s over UDP and TCP', async (_name, make) => {
    const udp = await UdpPeer.open(udpPort);
    const tcp = await TcpPeer.open(tcpPort);
    try {
      await udp.send(make('UDP', udp.port));
      await tcp.send(make('TCP', tcp.port));
      await new Promise((r) => setTimeout(r, 30));
    } finally {
      udp.close();
      tcp.close();
    }
    await stillAnswersOptions();
  });

  it('answers 400 to a UDP request whose Content-Length exceeds its body (RFC 3261 §18.3)', async () => {
    const udp = await UdpPeer.open(udpPort);
    try {
      await udp.send(valid('UDP', udp.port).slice(0, -20));
      await udp.next(/^SIP\/2\.0 400/);
    } finally {
      udp.close();
    }
  });

  it(`survives up to ${MAX_MUTATIONS} random mutations of a valid INVITE over UDP and TCP (bounded to ${TIME_BUDGET_MS} ms)`, async () => {
    const random = prng(0x5eed);
    const udp = await UdpPeer.open(udpPort);
    const started = Date.now();
    let sent = 0;
    let tcp = await TcpPeer.open(tcpPort);
    try {
      while (sent < MAX_MUTATIONS && Date.now() - started < TIME_BUDGET_MS) {
        const udpMessage = mutate(Buffer.from(valid('UDP', udp.port)), random);
        await udp.send(udpMessage);
        if (tcp.closedByServer) tcp = await TcpPeer.open(tcpPort);
        await tcp.send(mutate(Buffer.from(valid('TCP', tcp.port)), random)).catch(() => undefined);
        sent++;
        if (sent % 25 === 0) await new Promise((r) => setTimeout(r, 5)); // let the endpoint breathe
      }
    } finally {
      udp.close();
      tcp.close();
    }
    expect(sent).toBeGreaterThan(10);
    await stillAnswersOptions();
    // Some mutations leave the INVITE valid: the application still saw calls.
    expect(invites).toBeGreaterThan(0);
    const probe = await UdpPeer.open(udpPort);
    try {
      await probe.send(valid('UDP', probe.port));
      await probe.next(/^SIP\/2\.0 486/);
      expect(statusOf(probe.received[0] ?? '')).toBeGreaterThanOrEqual(100);
    } finally {
      probe.close();
    }
  }, 30_000);
});
