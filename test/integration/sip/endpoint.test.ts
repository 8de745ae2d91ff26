import pino from 'pino';
import type { URI, UserAgentCoreDelegate } from 'sip.js/lib/core/index.js';
import { SipEndpoint } from '../../../src/sip/index.js';
import { TcpPeer, UdpPeer } from '../../unit/sip/support/sip-peers.js';
import { branch, header, request, SDP_OFFER, statusOf } from '../../unit/sip/support/sip-messages.js';

const logger = pino({ level: 'silent' });
const MAILBOXES = new Set(['4711', '+15551234567']);
const resolveTarget = (uri: URI): boolean => MAILBOXES.has(uri.user ?? '');

type Protocol = 'udp' | 'tcp';

async function open(protocol: Protocol, delegate: UserAgentCoreDelegate) {
  const endpoint = await SipEndpoint.start({ listen: [{ protocol, host: '127.0.0.1', port: 0 }], logger, delegate, resolveTarget });
  const port = endpoint.listeners[0]?.port ?? 0;
  const peer = protocol === 'udp' ? await UdpPeer.open(port) : await TcpPeer.open(port);
  const T = protocol.toUpperCase();
  const via = (b: string) => `Via: SIP/2.0/${T} 127.0.0.1:${peer.port};branch=${b};rport`;
  return { endpoint, peer, port, via, T };
}

describe.each<Protocol>(['udp', 'tcp'])('SipEndpoint over %s', (protocol) => {
  let ctx: Awaited<ReturnType<typeof open>>;
  let invites: Array<{ user: string | undefined; body: string | undefined }>;
  let cancels: number;

  beforeEach(async () => {
    invites = [];
    cancels = 0;
    ctx = await open(protocol, {
      onInvite: (uas) => {
        invites.push({ user: uas.message.ruri?.user, body: uas.message.body });
        if (uas.message.ruri?.user === '4711') {
          uas.delegate = { onCancel: () => { cancels++; } };
          return; // ring until cancelled
        }
        uas.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: SDP_OFFER } });
      },
    });
  });

  afterEach(() => {
    ctx.peer.close();
    ctx.endpoint.close();
  });

  it('reports the bound ephemeral port and a Contact on it', () => {
    const [info] = ctx.endpoint.listeners;
    expect(info?.port).toBeGreaterThan(0);
    expect(info?.contact).toContain(`127.0.0.1:${info?.port}`);
  });

  it('answers OPTIONS 200 with Allow, Accept and Supported, and stamps received (and rport) in the Via', async () => {
    const b = branch();
    await ctx.peer.send(request({ method: 'OPTIONS', uri: `sip:127.0.0.1:${ctx.port}`, via: ctx.via(b) }));
    const response = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(header(response, 'allow')).toContain('INVITE');
    expect(header(response, 'accept')).toBe('application/sdp');
    expect(header(response, 'supported')).toBeDefined();
    expect(header(response, 'via')).toBe(`SIP/2.0/${ctx.T} 127.0.0.1:${ctx.peer.port};branch=${b};rport=${ctx.peer.port};received=127.0.0.1`);
  });

  it('answers 405 with Allow to an unknown method', async () => {
    await ctx.peer.send(request({ method: 'FROB', via: ctx.via(branch()) }));
    const response = await ctx.peer.next(/^SIP\/2\.0 405/);
    expect(header(response, 'allow')).toContain('OPTIONS');
  });

  it('answers 420 with Unsupported to an unknown Require option tag', async () => {
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1', via: ctx.via(branch()), extra: ['Require: timer'] }));
    const response = await ctx.peer.next(/^SIP\/2\.0 420/);
    expect(header(response, 'unsupported')).toBe('timer');
    expect(invites).toHaveLength(0);
  });

  it('answers 404 to an INVITE for a target the resolver does not know', async () => {
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:9999@127.0.0.1', via: ctx.via(branch()) }));
    await ctx.peer.next(/^SIP\/2\.0 404/);
    expect(invites).toHaveLength(0);
  });

  it('sends 100 Trying at once, then the application answer, for any resolved mailbox', async () => {
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:+15551234567@127.0.0.1', via: ctx.via(branch()), body: SDP_OFFER }));
    await ctx.peer.next(/^SIP\/2\.0 100/);
    const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(header(ok, 'content-type')).toBe('application/sdp');
    expect(invites).toEqual([{ user: '+15551234567', body: SDP_OFFER }]);
  });

  it('accepts tel: URIs in Request-URI, From, To and Contact', async () => {
    await ctx.peer.send(request({
      method: 'INVITE', uri: 'tel:+15551234567', from: '<tel:+4930999>;tag=t1', to: '<tel:+15551234567>', contact: '<tel:+4930999>',
      via: ctx.via(branch()), body: SDP_OFFER,
    }));
    await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(invites[0]?.user).toBe('+15551234567');
  });

  it('answers CANCEL 200 and the INVITE 487 (RFC 3261 §9.2)', async () => {
    const b = branch();
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1', via: ctx.via(b), callId: `c-${b}` }));
    await ctx.peer.next(/^SIP\/2\.0 100/);
    await ctx.peer.send(request({ method: 'CANCEL', uri: 'sip:4711@127.0.0.1', via: ctx.via(b), callId: `c-${b}`, contact: null }));
    const cancelOk = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(header(cancelOk, 'cseq')).toBe('1 CANCEL');
    const terminated = await ctx.peer.next(/^SIP\/2\.0 487/);
    expect(header(terminated, 'cseq')).toBe('1 INVITE');
    expect(cancels).toBe(1);
  });

  it('answers 400 to a request the parser rejects, when it has a Via to answer to', async () => {
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1', via: ctx.via(branch()), from: '<<<garbage' }));
    await ctx.peer.next(/^SIP\/2\.0 400/);
  });

  it('answers 400 when the CSeq method differs from the request method', async () => {
    await ctx.peer.send(request({ method: 'OPTIONS', via: ctx.via(branch()), cseqMethod: 'INVITE' }));
    await ctx.peer.next(/^SIP\/2\.0 400/);
  });

  it('answers 400 to a body without Content-Type before the core sees it (SIP.js would throw in SessionDialog)', async () => {
    const text = request({ method: 'INVITE', uri: 'sip:+15551234567@127.0.0.1', via: ctx.via(branch()), body: SDP_OFFER })
      .replace('Content-Type: application/sdp\r\n', '');
    await ctx.peer.send(text);
    await ctx.peer.next(/^SIP\/2\.0 400/);
    expect(invites).toHaveLength(0);
    await ctx.peer.send(request({ method: 'OPTIONS', via: ctx.via(branch()) }));
    await ctx.peer.next(/^SIP\/2\.0 200/);
  });

  it('answers 500 when the application handler throws', async () => {
    ctx.peer.close();
    ctx.endpoint.close();
    ctx = await open(protocol, { onInvite: () => { throw new Error('application bug'); } });
    await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1', via: ctx.via(branch()) }));
    await ctx.peer.next(/^SIP\/2\.0 100/);
    await ctx.peer.next(/^SIP\/2\.0 500/);
  });
});

describe('SipEndpoint UDP retransmission glue', () => {
  it('it MUST answer a retransmitted BYE with the cached 200, not 481 (Timer J)', async () => {
    const ctx = await open('udp', { onInvite: (uas) => { uas.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: SDP_OFFER } }); } });
    try {
      const b = branch();
      const callId = `bye-${b}`;
      await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:+15551234567@127.0.0.1', via: ctx.via(b), callId, body: SDP_OFFER }));
      const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
      const to = header(ok, 'to') ?? '';
      await ctx.peer.send(request({ method: 'ACK', uri: `sip:openum@127.0.0.1:${ctx.port}`, via: ctx.via(branch()), callId, to, cseqMethod: 'ACK' }));
      ctx.peer.received.length = 0; // drop the 100 Trying and any 2xx retransmission
      const byeBranch = branch();
      const bye = request({ method: 'BYE', uri: `sip:openum@127.0.0.1:${ctx.port}`, via: ctx.via(byeBranch), callId, to, cseq: 2, contact: null });
      await ctx.peer.send(bye);
      await ctx.peer.waitFor((r) => r.some((m) => header(m, 'cseq') === '2 BYE'));
      const first = ctx.peer.received.splice(ctx.peer.received.findIndex((m) => header(m, 'cseq') === '2 BYE'), 1)[0] ?? '';
      expect(statusOf(first)).toBe(200);
      expect(header(first, 'cseq')).toBe('2 BYE');
      await ctx.peer.send(bye);
      await ctx.peer.waitFor((r) => r.some((m) => header(m, 'cseq') === '2 BYE'));
      const second = ctx.peer.received.find((m) => header(m, 'cseq') === '2 BYE') ?? '';
      expect(statusOf(second)).toBe(200);
      expect(second).toBe(first);
    } finally {
      ctx.peer.close();
      ctx.endpoint.close();
    }
  });

  it('it MUST retransmit a non-2xx final response to INVITE until the ACK (Timer G)', async () => {
    const ctx = await open('udp', { onInvite: (uas) => { uas.reject({ statusCode: 486 }); } });
    try {
      const b = branch();
      await ctx.peer.send(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1', via: ctx.via(b) }));
      // Real T1 = 500 ms: the first Timer G retransmission follows about half a second later.
      await ctx.peer.waitFor((r) => r.filter((m) => statusOf(m) === 486).length >= 2, 5000);
      const busy = ctx.peer.received.find((m) => statusOf(m) === 486) ?? '';
      await ctx.peer.send(request({ method: 'ACK', uri: 'sip:4711@127.0.0.1', via: ctx.via(b), to: header(busy, 'to'), cseqMethod: 'ACK', contact: null }));
      const count = ctx.peer.received.filter((m) => statusOf(m) === 486).length;
      await new Promise((r) => setTimeout(r, 1600));
      expect(ctx.peer.received.filter((m) => statusOf(m) === 486).length).toBe(count);
    } finally {
      ctx.peer.close();
      ctx.endpoint.close();
    }
  });
});

describe('SipEndpoint over TCP: framing and keep-alives', () => {
  it('answers a CRLFCRLF ping with a CRLF pong and keeps the connection', async () => {
    const ctx = await open('tcp', {});
    try {
      await ctx.peer.send('\r\n\r\n');
      const peer = ctx.peer as TcpPeer;
      await peer.waitFor(() => Buffer.concat(peer.rawChunks).toString() === '\r\n');
      await ctx.peer.send(request({ method: 'OPTIONS', via: ctx.via(branch()) }));
      await ctx.peer.next(/^SIP\/2\.0 200/);
    } finally {
      ctx.peer.close();
      ctx.endpoint.close();
    }
  });

  it('handles split writes and two messages in one write', async () => {
    const ctx = await open('tcp', {});
    try {
      const one = request({ method: 'OPTIONS', via: ctx.via(branch()) });
      for (let i = 0; i < one.length; i += 7) await ctx.peer.send(one.slice(i, i + 7));
      await ctx.peer.next(/^SIP\/2\.0 200/);
      await ctx.peer.send(request({ method: 'OPTIONS', via: ctx.via(branch()) }) + request({ method: 'OPTIONS', via: ctx.via(branch()) }));
      await ctx.peer.waitFor((r) => r.filter((m) => statusOf(m) === 200).length >= 2);
    } finally {
      ctx.peer.close();
      ctx.endpoint.close();
    }
  });

  it('closes a connection that sends a bad Content-Length, and keeps serving others', async () => {
    const ctx = await open('tcp', {});
    const other = await TcpPeer.open(ctx.port);
    try {
      const peer = ctx.peer as TcpPeer;
      await peer.send(request({ method: 'OPTIONS', via: ctx.via(branch()) }).replace('Content-Length: 0', 'Content-Length: nope'));
      await peer.waitFor(() => peer.closedByServer);
      await other.send(request({ method: 'OPTIONS', via: `Via: SIP/2.0/TCP 127.0.0.1:${other.port};branch=${branch()}` }));
      await other.next(/^SIP\/2\.0 200/);
    } finally {
      other.close();
      ctx.peer.close();
      ctx.endpoint.close();
    }
  });
});
