import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SipCallFailedError, SipEndpoint } from '../../../../src/sip/index.js';
import type { OutboundCallOptions, OutboundFailure } from '../../../../src/sip/index.js';
import { header, SDP_OFFER } from '../../../unit/sip/support/sip-messages.js';
import { UdpPeer } from '../../../unit/sip/support/sip-peers.js';
import { bodyOf, cseqOf, responseTo, sdp, TcpServerPeer } from './facade-peers.js';

type Protocol = 'udp' | 'tcp';
const logger = pino({ level: 'silent' });

/** A free port on 127.0.0.1 for SIPp (bound, read and released). */
function freePort(protocol: Protocol): Promise<number> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => {
        const port = socket.address().port;
        socket.close(() => resolve(port));
      });
    } else {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    }
  });
}

interface Sipp {
  done: Promise<{ code: number | null; output: string }>;
}

/** `sipp -sn uas` for one call, bound to 127.0.0.1, with a hard kill so it always ends. */
function sippUas(protocol: Protocol, port: number): Sipp {
  const cwd = mkdtempSync(join(tmpdir(), 'openum-sipp-uas-'));
  const child = spawn('/usr/bin/sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-t', protocol === 'udp' ? 'u1' : 't1', '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output: output.slice(-2000) });
    });
  });
  return { done };
}

function failureOf(error: unknown): OutboundFailure {
  expect(error).toBeInstanceOf(SipCallFailedError);
  expect((error as SipCallFailedError).code).toBe('OPENUM_SIP_CALL_FAILED');
  return (error as SipCallFailedError).failure;
}

describe.each<Protocol>(['udp', 'tcp'])('createCall against sipp -sn uas over %s', (protocol) => {
  it('INVITE → 180 → 200 → ACK resolves a dialog; destroy() sends BYE and SIPp completes the call', async () => {
    const endpoint = await SipEndpoint.start({ listen: [{ protocol, host: '127.0.0.1', port: 0 }], logger });
    try {
      const port = await freePort(protocol);
      const sipp = sippUas(protocol, port);
      await new Promise((r) => setTimeout(r, 500)); // let SIPp bind
      const provisional: number[] = [];
      const dialog = await endpoint.createCall({
        requestUri: `sip:service@127.0.0.1:${port}`,
        via: { address: '127.0.0.1', port, protocol },
        from: { uri: 'sip:+14255550100@contoso.com', displayName: 'Exchange "UM"' },
        sdp: SDP_OFFER,
        noAnswerTimeoutMs: 10_000,
        onProvisional: (status) => provisional.push(status),
      });
      expect(provisional).toContain(180);
      expect(dialog.localSdp).toBe(SDP_OFFER);
      expect(dialog.remoteSdp).toMatch(/^v=0/);
      const reasons: string[] = [];
      dialog.on('destroy', (reason) => reasons.push(reason));
      await dialog.destroy();
      expect(reasons).toEqual(['local']);
      const result = await sipp.done;
      expect({ code: result.code, tail: result.code === 0 ? '' : result.output }).toEqual({ code: 0, tail: '' });
    } finally {
      endpoint.close();
    }
  }, 30_000);
});

/** A simulated gateway over UDP or TCP: what it received, and a way to answer. */
async function gateway(protocol: Protocol, endpointPort: number) {
  if (protocol === 'udp') {
    const peer = await UdpPeer.open(endpointPort);
    return { port: peer.port, next: (r: RegExp, t?: number) => peer.next(r, t), send: (m: string) => peer.send(m), close: () => peer.close(), received: peer.received };
  }
  const peer = await TcpServerPeer.listen();
  return { port: peer.port, next: (r: RegExp, t?: number) => peer.next(r, t), send: (m: string) => peer.send(m), close: () => peer.close(), received: peer.received };
}

describe.each<Protocol>(['udp', 'tcp'])('createCall against a simulated gateway over %s', (protocol) => {
  let endpoint: SipEndpoint;
  let gw: Awaited<ReturnType<typeof gateway>>;

  beforeEach(async () => {
    endpoint = await SipEndpoint.start({ listen: [{ protocol, host: '127.0.0.1', port: 0 }], logger });
    gw = await gateway(protocol, endpoint.listeners[0]?.port ?? 0);
  });

  afterEach(() => {
    gw.close();
    endpoint.close();
  });

  function options(extra: Partial<OutboundCallOptions> = {}): OutboundCallOptions {
    return {
      requestUri: 'sip:+14255551234@gw.contoso.com;user=phone',
      via: { address: '127.0.0.1', port: gw.port, protocol },
      from: { uri: 'sip:+14255550100@contoso.com', displayName: 'Kim Akers' },
      sdp: SDP_OFFER,
      headers: { 'X-Purpose': 'play-on-phone' },
      noAnswerTimeoutMs: 5000,
      ...extra,
    };
  }

  it('sends the INVITE to the gateway with the Request-URI, From and a loose Route; 486 rejects with the status', async () => {
    const provisional: Array<[number, string]> = [];
    const call = endpoint.createCall(options({ onProvisional: (s, r) => provisional.push([s, r]) }));
    const invite = await gw.next(/^INVITE /);
    expect(invite.split('\r\n')[0]).toBe('INVITE sip:+14255551234@gw.contoso.com;user=phone SIP/2.0');
    expect(header(invite, 'from')).toMatch(/^"Kim Akers" <sip:\+14255550100@contoso\.com>;tag=/);
    expect(header(invite, 'route')).toBe(`<sip:127.0.0.1:${gw.port}${protocol === 'tcp' ? ';transport=tcp' : ''};lr>`);
    expect(header(invite, 'x-purpose')).toBe('play-on-phone');
    expect(header(invite, 'contact')).toContain('openum@127.0.0.1');
    expect(bodyOf(invite)).toBe(SDP_OFFER);
    await gw.send(responseTo(invite, 100, 'Trying'));
    await gw.send(responseTo(invite, 183, 'Session Progress', { toTag: 'gw1', extra: [`Contact: <sip:gw@127.0.0.1:${gw.port}>`] }));
    await gw.send(responseTo(invite, 486, 'Busy Here', { toTag: 'gw1' }));
    const failure = failureOf(await call.then(() => undefined, (e: unknown) => e));
    expect(failure).toEqual({ statusCode: 486, reasonPhrase: 'Busy Here', noAnswer: false });
    expect(provisional).toEqual([[183, 'Session Progress']]);
    const ack = await gw.next(/^ACK /); // RFC 3261 §17.1.1.3: the transaction ACKs a non-2xx final
    expect(cseqOf(ack)).toBe('1 ACK');
  });

  it('a 3xx is a failure too', async () => {
    const call = endpoint.createCall(options());
    const invite = await gw.next(/^INVITE /);
    await gw.send(responseTo(invite, 302, 'Moved Temporarily', { toTag: 'gw2', extra: ['Contact: <sip:elsewhere@127.0.0.1>'] }));
    const failure = failureOf(await call.then(() => undefined, (e: unknown) => e));
    expect(failure).toEqual({ statusCode: 302, reasonPhrase: 'Moved Temporarily', noAnswer: false });
  });

  it('2xx: ACKs and resolves a dialog; the gateway hangs up with BYE → destroy("remote-bye")', async () => {
    const call = endpoint.createCall(options());
    const invite = await gw.next(/^INVITE /);
    const answer = sdp(42000);
    const gwContact = `<sip:gw@127.0.0.1:${gw.port}${protocol === 'tcp' ? ';transport=tcp' : ''}>`;
    await gw.send(responseTo(invite, 200, 'OK', { toTag: 'gw3', body: answer, extra: [`Contact: ${gwContact}`] }));
    const dialog = await call;
    expect(dialog.remoteSdp).toBe(answer);
    const ack = await gw.next(/^ACK /);
    expect(ack.split('\r\n')[0]).toBe(`ACK ${gwContact.slice(1, -1)} SIP/2.0`);
    const reasons: string[] = [];
    dialog.on('destroy', (reason) => reasons.push(reason));
    const from = header(invite, 'from') ?? '';
    const to = `${header(invite, 'to') ?? ''};tag=gw3`;
    const ours = /<([^>]+)>/.exec(header(invite, 'contact') ?? '')?.[1] ?? '';
    await gw.send([
      `BYE ${ours} SIP/2.0`, `Via: SIP/2.0/${protocol.toUpperCase()} 127.0.0.1:${gw.port};branch=z9hG4bK-gw-bye-${protocol}`,
      'Max-Forwards: 70', `From: ${to}`, `To: ${from}`, `Call-ID: ${header(invite, 'call-id') ?? ''}`, 'CSeq: 1 BYE', 'Content-Length: 0', '', '',
    ].join('\r\n'));
    await gw.next(/^SIP\/2\.0 200/);
    expect(reasons).toEqual(['remote-bye']);
  });

  it('no final answer within noAnswerTimeoutMs: CANCEL (after the 180) and reject with noAnswer', async () => {
    const call = endpoint.createCall(options({ noAnswerTimeoutMs: 300 }));
    const invite = await gw.next(/^INVITE /);
    await gw.send(responseTo(invite, 180, 'Ringing', { toTag: 'gw4', extra: [`Contact: <sip:gw@127.0.0.1:${gw.port}>`] }));
    const cancel = await gw.next(/^CANCEL /, 3000);
    const failure = failureOf(await call.then(() => undefined, (e: unknown) => e));
    expect(failure).toEqual({ statusCode: 487, reasonPhrase: 'Request Terminated', noAnswer: true });
    expect(cseqOf(cancel)).toBe('1 CANCEL');
    expect(header(cancel, 'route')).toBe(header(invite, 'route')); // RFC 3261 §9.1: same Route as the INVITE
    expect(/branch=([^;\s]+)/.exec(header(cancel, 'via') ?? '')?.[1]).toBe(/branch=([^;\s]+)/.exec(header(invite, 'via') ?? '')?.[1]);
    await gw.send(responseTo(cancel, 200, 'OK'));
    await gw.send(responseTo(invite, 487, 'Request Terminated', { toTag: 'gw4' }));
    await gw.next(/^ACK /);
  });

  it('a 2xx that crosses our CANCEL is ACKed and hung up with BYE', async () => {
    const call = endpoint.createCall(options({ noAnswerTimeoutMs: 200 }));
    const invite = await gw.next(/^INVITE /);
    await gw.send(responseTo(invite, 180, 'Ringing', { toTag: 'gw5', extra: [`Contact: <sip:gw@127.0.0.1:${gw.port}>`] }));
    await gw.next(/^CANCEL /, 3000);
    failureOf(await call.then(() => undefined, (e: unknown) => e));
    const gwContact = `<sip:gw@127.0.0.1:${gw.port}${protocol === 'tcp' ? ';transport=tcp' : ''}>`;
    await gw.send(responseTo(invite, 200, 'OK', { toTag: 'gw5', body: sdp(42000), extra: [`Contact: ${gwContact}`] }));
    await gw.next(/^ACK /);
    const bye = await gw.next(/^BYE /);
    await gw.send(responseTo(bye, 200, 'OK'));
  });

  it('endpoint close rejects a pending call with SipClosedError', async () => {
    const call = endpoint.createCall(options());
    await gw.next(/^INVITE /);
    endpoint.close();
    await expect(call).rejects.toMatchObject({ code: 'OPENUM_SIP_CLOSED' });
  });
});

describe('createCall against a silent gateway over UDP', () => {
  it('no provisional response: no CANCEL may be sent (RFC 3261 §9.1); rejects 408 with noAnswer; the INVITE is retransmitted', async () => {
    const endpoint = await SipEndpoint.start({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], logger });
    const gw = await UdpPeer.open(endpoint.listeners[0]?.port ?? 0);
    try {
      const call = endpoint.createCall({
        requestUri: `sip:+14255551234@127.0.0.1:${gw.port}`,
        via: { address: '127.0.0.1', port: gw.port, protocol: 'udp' },
        from: { uri: 'sip:um@contoso.com' },
        sdp: SDP_OFFER,
        noAnswerTimeoutMs: 800,
      });
      const invite = await gw.next(/^INVITE /);
      expect(header(invite, 'route')).toBeUndefined(); // the Request-URI already leads to the gateway
      await gw.next(/^INVITE /, 2000); // Timer A: T1 later
      const failure = failureOf(await call.then(() => undefined, (e: unknown) => e));
      expect(failure).toEqual({ statusCode: 408, reasonPhrase: 'Request Timeout', noAnswer: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(gw.received.filter((m) => m.startsWith('CANCEL '))).toEqual([]);
    } finally {
      gw.close();
      endpoint.close();
    }
  });

  it('refuses a bad Request-URI with SipInvalidRequestError, and a missing transport with SipListenError', async () => {
    const endpoint = await SipEndpoint.start({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], logger });
    try {
      const base = { via: { address: '127.0.0.1', port: 5999, protocol: 'udp' as const }, from: { uri: 'sip:um@contoso.com' }, sdp: SDP_OFFER, noAnswerTimeoutMs: 1000 };
      await expect(endpoint.createCall({ ...base, requestUri: 'not a uri' })).rejects.toMatchObject({ code: 'OPENUM_SIP_INVALID_REQUEST' });
      await expect(endpoint.createCall({ ...base, requestUri: 'sip:a@b', noAnswerTimeoutMs: 0 })).rejects.toMatchObject({ code: 'OPENUM_SIP_INVALID_REQUEST' });
      await expect(endpoint.createCall({ ...base, requestUri: 'sip:a@b', via: { ...base.via, protocol: 'tcp' } })).rejects.toMatchObject({ code: 'OPENUM_SIP_LISTEN' });
    } finally {
      endpoint.close();
    }
  });
});
