import pino from 'pino';
import { Timers } from 'sip.js/lib/core/index.js';
import type { URI } from 'sip.js/lib/core/index.js';
import { SipCallError, SipEndpoint } from '../../../../src/sip/index.js';
import type { DialogEndReason, IncomingCall, IncomingSipRequest, SipBody, SipDialog } from '../../../../src/sip/index.js';
import { branch, header, request, SDP_OFFER, statusOf } from '../../../unit/sip/support/sip-messages.js';
import { TcpPeer, UdpPeer } from '../../../unit/sip/support/sip-peers.js';
import { bodyOf, cseqOf, responseTo, sdp } from './facade-peers.js';

type Protocol = 'udp' | 'tcp';
const logger = pino({ level: 'silent' });
const ANSWER = sdp(50000);

/** An endpoint with the call facade and a peer playing the caller; calls and requests are queued. */
async function open(protocol: Protocol) {
  const calls: IncomingCall[] = [];
  const requests: IncomingSipRequest[] = [];
  let wake: (() => void) | undefined;
  const endpoint = await SipEndpoint.start({
    listen: [{ protocol, host: '127.0.0.1', port: 0 }],
    logger,
    resolveTarget: (uri: URI) => uri.user === '4711' || uri.user === 'throw',
    onIncomingCall: (call) => {
      if (call.requestUri.user === 'throw') throw new Error('application bug');
      calls.push(call);
      wake?.();
    },
    onRequest: (req) => {
      requests.push(req);
      req.reply(202, { headers: { 'X-Seen': req.method } });
    },
  });
  const port = endpoint.listeners[0]?.port ?? 0;
  const peer = protocol === 'udp' ? await UdpPeer.open(port) : await TcpPeer.open(port);
  const T = protocol.toUpperCase();
  const transportParam = protocol === 'tcp' ? ';transport=tcp' : '';
  const via = (b: string): string => `Via: SIP/2.0/${T} 127.0.0.1:${peer.port};branch=${b};rport`;
  const contact = `<sip:caller@127.0.0.1:${peer.port}${transportParam}>`;
  const ourUri = `sip:openum@127.0.0.1:${port}${transportParam}`;

  async function nextCall(timeoutMs = 3000): Promise<IncomingCall> {
    for (let i = 0; i < 100 && calls.length === 0; i++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs / 100);
        wake = () => { clearTimeout(timer); resolve(); };
      });
    }
    const call = calls.shift();
    if (!call) throw new Error('no incoming call');
    return call;
  }

  /** Send an INVITE (with the standard offer unless `body` is ''), returning its Call-ID and branch. */
  async function invite(options: { body?: string; extra?: string[]; user?: string } = {}) {
    const b = branch();
    const callId = `facade-${b}`;
    const text = request({
      method: 'INVITE', uri: `sip:${options.user ?? '4711'}@127.0.0.1`, via: via(b), callId, contact, body: options.body ?? SDP_OFFER,
      from: '"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag', to: '<sip:4711@127.0.0.1>', extra: options.extra,
    });
    await peer.send(text);
    return { callId, branch: b };
  }

  /** ACK a 2xx (new branch, RFC 3261 §13.2.2.4). */
  function ack(callId: string, to: string, cseq = 1, body?: string): Promise<void> {
    return peer.send(request({ method: 'ACK', uri: ourUri, via: via(branch()), callId, to, cseq, cseqMethod: 'ACK', contact: null, body,
      from: '"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag' }));
  }

  /** A full INVITE/200/ACK; resolves with the dialog and what the peer needs to talk inside it. */
  async function establish() {
    const { callId } = await invite();
    const call = await nextCall();
    const accepted = call.accept({ sdp: ANSWER });
    const ok = await peer.next(/^SIP\/2\.0 200/);
    const to = header(ok, 'to') ?? '';
    await ack(callId, to);
    const dialog = await accepted;
    let cseq = 1;
    const inDialog = (method: string, extra: { body?: string; contentType?: string; extra?: string[] } = {}) => {
      cseq++;
      return peer.send(request({ method, uri: ourUri, via: via(branch()), callId, to, cseq, contact: method === 'INVITE' ? contact : null,
        from: '"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag', ...extra }));
    };
    return { dialog, callId, to, inDialog, cseq: () => cseq };
  }

  function close(): void {
    peer.close();
    endpoint.close();
  }

  return { endpoint, peer, calls, requests, invite, nextCall, ack, establish, close, via, contact, ourUri };
}

function destroyReasons(dialog: SipDialog): DialogEndReason[] {
  const reasons: DialogEndReason[] = [];
  dialog.on('destroy', (reason) => reasons.push(reason));
  return reasons;
}

describe.each<Protocol>(['udp', 'tcp'])('IncomingCall over %s', (protocol) => {
  let ctx: Awaited<ReturnType<typeof open>>;

  beforeEach(async () => {
    ctx = await open(protocol);
  });

  afterEach(() => ctx.close());

  it('exposes Request-URI, From, To, source, the offer and headers (any case, compact forms) without SIP.js types', async () => {
    await ctx.invite({ extra: ['Diversion: <sip:kim@contoso.com>;reason=no-answer', 'History-Info: <sip:a@b>;index=1, <sip:c@d>;index=1.1', 'k: timer'] });
    const call = await ctx.nextCall();
    expect(call.requestUri).toMatchObject({ scheme: 'sip', user: '4711', host: '127.0.0.1' });
    expect(call.from).toMatchObject({ user: 'kim', host: 'contoso.com', displayName: 'Kim Akers' });
    expect(call.to.user).toBe('4711');
    expect(call.source).toEqual({ address: '127.0.0.1', port: ctx.peer.port, protocol });
    expect(call.sdpOffer).toBe(SDP_OFFER);
    expect(call.header('DIVERSION')).toEqual(['<sip:kim@contoso.com>;reason=no-answer']);
    expect(call.header('history-info')).toEqual(['<sip:a@b>;index=1, <sip:c@d>;index=1.1']);
    expect(call.header('Supported')).toEqual(['timer']); // sent in compact form `k:`
    expect(call.header('f')).toEqual(['"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag']);
    expect(call.header('X-Absent')).toEqual([]);
    call.reject(486);
    await ctx.peer.next(/^SIP\/2\.0 486/);
  });

  it('sends 180 and 183 with early-media SDP, then 200 with SDP; accept() resolves only on the ACK', async () => {
    const { callId } = await ctx.invite();
    const call = await ctx.nextCall();
    call.progress(180);
    await ctx.peer.next(/^SIP\/2\.0 180/);
    call.progress(183, { sdp: ANSWER });
    const early = await ctx.peer.next(/^SIP\/2\.0 183/);
    expect(bodyOf(early)).toBe(ANSWER);
    let resolved = false;
    const accepted = call.accept({ sdp: ANSWER, headers: { 'X-Openum': 'yes' } }).then((d) => { resolved = true; return d; });
    const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(header(ok, 'content-type')).toBe('application/sdp');
    expect(header(ok, 'x-openum')).toBe('yes');
    expect(bodyOf(ok)).toBe(ANSWER);
    if (protocol === 'udp') {
      // RFC 3261 §13.3.1.4: the 2xx is retransmitted (T1, 2·T1, …) until the ACK arrives.
      await ctx.peer.next(/^SIP\/2\.0 200/, 3000);
    }
    expect(resolved).toBe(false);
    await ctx.ack(callId, header(ok, 'to') ?? '');
    const dialog = await accepted;
    expect(dialog.callId).toBe(callId);
    expect(dialog.localSdp).toBe(ANSWER);
    expect(dialog.remoteSdp).toBe(SDP_OFFER);
    expect(dialog.destroyed).toBe(false);
    call.reject(500); // ignored: a final response is out
    call.progress(180); // ignored too
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.peer.received.filter((m) => /^SIP\/2\.0 (500|180)/.test(m))).toEqual([]);
  });

  it('offer-less INVITE: our SDP is the offer in the 200, the ACK carries the answer', async () => {
    const { callId } = await ctx.invite({ body: '' });
    const call = await ctx.nextCall();
    expect(call.sdpOffer).toBeUndefined();
    const accepted = call.accept({ sdp: ANSWER });
    const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(bodyOf(ok)).toBe(ANSWER);
    const answerInAck = sdp(40002);
    await ctx.ack(callId, header(ok, 'to') ?? '', 1, answerInAck);
    const dialog = await accepted;
    expect(dialog.localSdp).toBe(ANSWER);
    expect(dialog.remoteSdp).toBe(answerInAck);
  });

  it('rejects with 503 and Retry-After, and with a 302 carrying Contact', async () => {
    await ctx.invite();
    const busy = await ctx.nextCall();
    busy.reject(503, { reasonPhrase: 'Overloaded', headers: { 'Retry-After': '30' } });
    const unavailable = await ctx.peer.next(/^SIP\/2\.0 503/);
    expect(unavailable.split('\r\n')[0]).toBe('SIP/2.0 503 Overloaded');
    expect(header(unavailable, 'retry-after')).toBe('30');
    busy.reject(486); // ignored
    await ctx.invite();
    const moved = await ctx.nextCall();
    moved.reject(302, { headers: { Contact: '<sip:kim@exchange.contoso.com>' } });
    const redirect = await ctx.peer.next(/^SIP\/2\.0 302/);
    expect(header(redirect, 'contact')).toBe('<sip:kim@exchange.contoso.com>');
    expect(() => moved.reject(200)).toThrow(expect.objectContaining({ code: 'OPENUM_SIP_INVALID_REQUEST' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.peer.received.filter((m) => statusOf(m) === 486)).toEqual([]);
  });

  it('CANCEL: 200 to the CANCEL, exactly one 487 to the INVITE, onCancel once, accept() then fails', async () => {
    const { callId, branch: b } = await ctx.invite();
    const call = await ctx.nextCall();
    call.progress(180);
    await ctx.peer.next(/^SIP\/2\.0 180/);
    let fired = 0;
    call.onCancel(() => { fired++; });
    await ctx.peer.send(request({ method: 'CANCEL', uri: 'sip:4711@127.0.0.1', via: ctx.via(b), callId, contact: null,
      from: '"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag', to: '<sip:4711@127.0.0.1>' }));
    const cancelOk = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(cseqOf(cancelOk)).toBe('1 CANCEL');
    const terminated = await ctx.peer.next(/^SIP\/2\.0 487/);
    expect(cseqOf(terminated)).toBe('1 INVITE');
    // ACK the 487 so UDP Timer G stops, then make sure no second 487 was sent.
    await ctx.peer.send(request({ method: 'ACK', uri: 'sip:4711@127.0.0.1', via: ctx.via(b), callId, cseqMethod: 'ACK', contact: null,
      from: '"Kim Akers" <sip:kim@contoso.com>;tag=caller-tag', to: header(terminated, 'to') ?? '' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.peer.received.filter((m) => statusOf(m) === 487)).toEqual([]);
    expect(fired).toBe(1);
    expect(call.cancelled).toBe(true);
    let late = 0;
    call.onCancel(() => { late++; });
    await new Promise((r) => setTimeout(r, 10));
    expect(late).toBe(1); // a listener added after the CANCEL still hears of it
    await expect(call.accept({ sdp: ANSWER })).rejects.toMatchObject({ code: 'OPENUM_SIP_CALL_ENDED', reason: 'cancelled' });
    await expect(call.accept({ sdp: ANSWER })).rejects.toBeInstanceOf(SipCallError);
  });

  it('answers 500 when onIncomingCall throws', async () => {
    await ctx.invite({ user: 'throw' });
    await ctx.peer.next(/^SIP\/2\.0 500/);
  });

  it('hands out-of-dialog NOTIFY to onRequest; OPTIONS stays answered by the endpoint', async () => {
    await ctx.peer.send(request({ method: 'NOTIFY', uri: 'sip:4711@127.0.0.1', via: ctx.via(branch()), extra: ['Event: message-summary'],
      body: 'Messages-Waiting: yes\r\n', contentType: 'application/simple-message-summary' }));
    const accepted = await ctx.peer.next(/^SIP\/2\.0 202/);
    expect(header(accepted, 'x-seen')).toBe('NOTIFY');
    expect(ctx.requests).toHaveLength(1);
    expect(ctx.requests[0]?.header('o')).toEqual(['message-summary']); // compact form of Event
    expect(ctx.requests[0]?.body).toEqual({ contentType: 'application/simple-message-summary', content: 'Messages-Waiting: yes\r\n' });
    expect(ctx.requests[0]?.source).toEqual({ address: '127.0.0.1', port: ctx.peer.port, protocol });
    await ctx.peer.send(request({ method: 'OPTIONS', uri: 'sip:4711@127.0.0.1', via: ctx.via(branch()) }));
    await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(ctx.requests).toHaveLength(1);
  });
});

describe.each<Protocol>(['udp', 'tcp'])('SipDialog over %s', (protocol) => {
  let ctx: Awaited<ReturnType<typeof open>>;

  beforeEach(async () => {
    ctx = await open(protocol);
  });

  afterEach(() => ctx.close());

  it('remote BYE: 200, then destroy("remote-bye") once', async () => {
    const { dialog, inDialog } = await ctx.establish();
    const reasons = destroyReasons(dialog);
    await inDialog('BYE');
    const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(cseqOf(ok)).toBe('2 BYE');
    expect(reasons).toEqual(['remote-bye']);
    expect(dialog.destroyed).toBe(true);
    await dialog.destroy(); // already gone: resolves at once, sends nothing
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.peer.received.filter((m) => m.startsWith('BYE '))).toEqual([]);
    expect(reasons).toEqual(['remote-bye']);
  });

  it('destroy() sends one BYE, emits destroy("local") once and resolves when the BYE is answered', async () => {
    const { dialog } = await ctx.establish();
    const reasons = destroyReasons(dialog);
    let done = false;
    const first = dialog.destroy().then(() => { done = true; });
    const second = dialog.destroy();
    const bye = await ctx.peer.next(/^BYE /);
    expect(reasons).toEqual(['local']);
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    await ctx.peer.send(responseTo(bye, 200, 'OK'));
    await Promise.all([first, second]);
    expect(done).toBe(true);
    await dialog.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.peer.received.filter((m) => m.startsWith('BYE '))).toEqual([]);
    expect(reasons).toEqual(['local']);
  });

  it('INFO: answered 200 and emitted with its body (application/dtmf-relay and application/dtmf)', async () => {
    const { dialog, inDialog } = await ctx.establish();
    const bodies: Array<SipBody | undefined> = [];
    dialog.on('info', (body) => bodies.push(body));
    await inDialog('INFO', { body: 'Signal=5\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' });
    expect(cseqOf(await ctx.peer.next(/^SIP\/2\.0 200/))).toBe('2 INFO');
    await inDialog('INFO', { body: '7', contentType: 'application/dtmf' });
    expect(cseqOf(await ctx.peer.next(/^SIP\/2\.0 200/))).toBe('3 INFO');
    expect(bodies).toEqual([
      { contentType: 'application/dtmf-relay', content: 'Signal=5\r\nDuration=160\r\n' },
      { contentType: 'application/dtmf', content: '7' },
    ]);
  });

  it('a throwing info listener cannot break the dialog', async () => {
    const { dialog, inDialog } = await ctx.establish();
    dialog.on('info', () => { throw new Error('listener bug'); });
    await inDialog('INFO', { body: 'Signal=1\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' });
    await ctx.peer.next(/^SIP\/2\.0 200/);
    await inDialog('BYE');
    await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(dialog.destroyed).toBe(true);
  });

  it('re-INVITE (hold, a=sendonly) → modify event; answer() sends 200 with our SDP and updates both SDPs', async () => {
    const { dialog, inDialog, callId, to, cseq } = await ctx.establish();
    const hold = sdp(40000, 'sendonly', 2);
    const held = sdp(50000, 'recvonly', 2);
    const offers: string[] = [];
    dialog.on('modify', (offer, reply) => {
      offers.push(offer);
      reply.answer(held);
    });
    await inDialog('INVITE', { body: hold });
    const ok = await ctx.peer.next(/^SIP\/2\.0 200/);
    expect(cseqOf(ok)).toBe('2 INVITE');
    expect(bodyOf(ok)).toBe(held);
    expect(header(ok, 'contact')).toContain('openum@127.0.0.1');
    await ctx.ack(callId, to, cseq());
    expect(offers).toEqual([hold]);
    expect(dialog.remoteSdp).toBe(hold);
    expect(dialog.localSdp).toBe(held);
  });

  it('re-INVITE rejected by the listener (and 488 when nobody listens)', async () => {
    const { dialog, inDialog } = await ctx.establish();
    await inDialog('INVITE', { body: sdp(40000, 'sendonly', 2) });
    expect(cseqOf(await ctx.peer.next(/^SIP\/2\.0 488/))).toBe('2 INVITE');
    dialog.on('modify', (_offer, reply) => setTimeout(() => reply.reject(491), 10));
    await inDialog('INVITE', { body: sdp(40000, 'sendonly', 3) });
    expect(cseqOf(await ctx.peer.next(/^SIP\/2\.0 491/))).toBe('3 INVITE');
    expect(dialog.remoteSdp).toBe(SDP_OFFER);
    expect(dialog.destroyed).toBe(false);
  });

  it('modify(sdp) sends a re-INVITE, ACKs the 2xx and resolves with the answer', async () => {
    const { dialog } = await ctx.establish();
    const offer = sdp(50000, 'sendonly', 2);
    const answer = sdp(40000, 'recvonly', 2);
    const modified = dialog.modify(offer);
    const reinvite = await ctx.peer.next(/^INVITE /);
    expect(bodyOf(reinvite)).toBe(offer);
    await ctx.peer.send(responseTo(reinvite, 200, 'OK', { body: answer, extra: [`Contact: ${ctx.contact}`] }));
    await expect(modified).resolves.toBe(answer);
    const ackMessage = await ctx.peer.next(/^ACK /);
    expect(cseqOf(ackMessage)).toBe(`${/^(\d+)/.exec(cseqOf(reinvite))?.[1]} ACK`);
    expect(dialog.localSdp).toBe(offer);
    expect(dialog.remoteSdp).toBe(answer);
  });

  it('modify(sdp) rejects with the status when the peer refuses', async () => {
    const { dialog } = await ctx.establish();
    const modified = dialog.modify(sdp(50000, 'sendonly', 2));
    const reinvite = await ctx.peer.next(/^INVITE /);
    await ctx.peer.send(responseTo(reinvite, 488, 'Not Acceptable Here'));
    await expect(modified).rejects.toMatchObject({ code: 'OPENUM_SIP_REQUEST_FAILED', statusCode: 488 });
    expect(dialog.localSdp).toBe(ANSWER);
    expect(dialog.destroyed).toBe(false);
  });

  it('request("INFO") sends an in-dialog request with its body and resolves with the status', async () => {
    const { dialog } = await ctx.establish();
    const sent = dialog.request('INFO', { body: { contentType: 'application/dtmf-relay', content: 'Signal=#\r\nDuration=100\r\n' }, headers: { 'X-Why': 'test' } });
    const info = await ctx.peer.next(/^INFO /);
    expect(header(info, 'content-type')).toBe('application/dtmf-relay');
    expect(header(info, 'x-why')).toBe('test');
    expect(bodyOf(info)).toBe('Signal=#\r\nDuration=100\r\n');
    await ctx.peer.send(responseTo(info, 200, 'OK'));
    await expect(sent).resolves.toBe(200);
    await expect(dialog.request('BYE')).rejects.toMatchObject({ code: 'OPENUM_SIP_INVALID_REQUEST' });
  });

  it('a 481 to an in-dialog request ends the dialog with destroy("transport-error") (RFC 3261 §12.2.1.2)', async () => {
    const { dialog } = await ctx.establish();
    const reasons = destroyReasons(dialog);
    const sent = dialog.request('INFO', { body: { contentType: 'application/dtmf-relay', content: 'Signal=1\r\nDuration=100\r\n' } });
    const info = await ctx.peer.next(/^INFO /);
    await ctx.peer.send(responseTo(info, 481, 'Call/Transaction Does Not Exist'));
    await expect(sent).resolves.toBe(481);
    expect(reasons).toEqual(['transport-error']);
    expect(dialog.destroyed).toBe(true);
  });

  it('endpoint close ends the dialog with destroy("closed") and rejects later use', async () => {
    const { dialog } = await ctx.establish();
    const reasons = destroyReasons(dialog);
    ctx.endpoint.close();
    expect(reasons).toEqual(['closed']);
    await expect(dialog.modify(ANSWER)).rejects.toMatchObject({ code: 'OPENUM_SIP_DIALOG_STATE' });
    await dialog.destroy();
    expect(reasons).toEqual(['closed']);
  });
});

describe('SipDialog ACK timeout (Timer L shortened)', () => {
  const original = Timers.TIMER_L;
  let ctx: Awaited<ReturnType<typeof open>>;

  beforeEach(async () => {
    Timers.TIMER_L = 1200; // 64·T1 would be 32 s; the rule, not the figure, is under test
    ctx = await open('udp');
  });

  afterEach(() => {
    Timers.TIMER_L = original;
    ctx.close();
  });

  it('a 200 never ACKed: accept() rejects with reason ack-timeout and the call is ended with BYE', async () => {
    await ctx.invite();
    const call = await ctx.nextCall();
    const accepted = call.accept({ sdp: ANSWER });
    await ctx.peer.next(/^SIP\/2\.0 200/);
    await expect(accepted).rejects.toMatchObject({ code: 'OPENUM_SIP_CALL_ENDED', reason: 'ack-timeout' });
    const bye = await ctx.peer.next(/^BYE /, 3000);
    await ctx.peer.send(responseTo(bye, 200, 'OK'));
  });
});
