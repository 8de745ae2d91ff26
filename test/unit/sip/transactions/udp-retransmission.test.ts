import pino from 'pino';
import { summarize } from '../../../../src/sip/messages/message-summary.js';
import { UdpRetransmission } from '../../../../src/sip/transactions/udp-retransmission.js';
import { DEFAULT_SIP_TIMERS } from '../../../../src/sip/timers/sip-timer-settings.js';
import type { Destination } from '../../../../src/sip/transport/transport-types.js';
import { ManualTimers } from '../support/manual-timers.js';
import { branch, request } from '../support/sip-messages.js';

const T1 = DEFAULT_SIP_TIMERS.t1;
const T2 = DEFAULT_SIP_TIMERS.t2;
const peer: Destination = { address: '127.0.0.1', port: 5999 };

function setup() {
  const timers = new ManualTimers();
  const sent: Array<{ at: number; data: string }> = [];
  const timedOut: string[] = [];
  const layer = new UdpRetransmission({
    timers,
    settings: DEFAULT_SIP_TIMERS,
    logger: pino({ level: 'silent' }),
    transmit: (_d, data) => sent.push({ at: timers.now, data }),
    requestTimedOut: (req) => timedOut.push(req),
  });
  return { timers, sent, timedOut, layer };
}

function s(text: string) {
  const summary = summarize(text);
  if (!summary) throw new Error('test message does not summarize');
  return summary;
}

function response(status: number, b: string, method: string): string {
  return [`SIP/2.0 ${status} X`, `Via: SIP/2.0/UDP 127.0.0.1:5060;branch=${b}`, 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>;tag=2',
    'Call-ID: c', `CSeq: 1 ${method}`, 'Content-Length: 0', '', ''].join('\r\n');
}

describe('UdpRetransmission — client INVITE transaction (RFC 3261 §17.1.1.2)', () => {
  it('it MUST retransmit the INVITE at T1, 2·T1, 4·T1 … (Timer A doubling, no cap) while no response arrives', () => {
    const { timers, sent, layer } = setup();
    const invite = request({ method: 'INVITE' });
    expect(layer.sendingRequest(s(invite), invite, peer)).toBe('send');
    timers.advance(64 * T1 - 1);
    // Retransmissions at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s: intervals T1, 2·T1, 4·T1, 8·T1, 16·T1, 32·T1.
    expect(sent.map((x) => x.at)).toEqual([1, 3, 7, 15, 31, 63].map((k) => k * T1));
    expect(sent.every((x) => x.data === invite)).toBe(true);
    layer.close();
  });

  it('it MUST give up at 64·T1 (Timer B) and report a timeout so the TU sees 408', () => {
    const { timers, timedOut, sent, layer } = setup();
    const invite = request({ method: 'INVITE' });
    layer.sendingRequest(s(invite), invite, peer);
    timers.advance(64 * T1 - 1);
    expect(timedOut).toHaveLength(0);
    timers.advance(1);
    expect(timedOut).toEqual([invite]);
    const count = sent.length;
    timers.advance(100 * T1);
    expect(sent).toHaveLength(count);
    expect(layer.pendingClientTransactions).toBe(0);
    layer.close();
  });

  it('it MUST stop retransmitting on a provisional response, and Timer B no longer applies', () => {
    const { timers, sent, timedOut, layer } = setup();
    const b = branch();
    const invite = request({ method: 'INVITE', branch: b });
    layer.sendingRequest(s(invite), invite, peer);
    timers.advance(T1);
    expect(sent).toHaveLength(1);
    expect(layer.receivedResponse(s(response(100, b, 'INVITE')))).toBe('pass');
    timers.advance(200 * T1);
    expect(sent).toHaveLength(1);
    expect(timedOut).toHaveLength(0);
    layer.close();
  });

  it('drops the ACK the core builds for the synthetic 408 of a timed-out INVITE', () => {
    const { timers, layer } = setup();
    const b = branch();
    const invite = request({ method: 'INVITE', branch: b });
    layer.sendingRequest(s(invite), invite, peer);
    timers.advance(64 * T1);
    const ack = request({ method: 'ACK', branch: b });
    expect(layer.sendingRequest(s(ack), ack, peer)).toBe('drop');
    layer.close();
  });

  it('it MUST re-send the ACK when a non-2xx final response is retransmitted (Timer D)', () => {
    const { sent, layer } = setup();
    const b = branch();
    const invite = request({ method: 'INVITE', branch: b });
    layer.sendingRequest(s(invite), invite, peer);
    expect(layer.receivedResponse(s(response(486, b, 'INVITE')))).toBe('pass');
    const ack = request({ method: 'ACK', branch: b, cseqMethod: 'ACK' });
    expect(layer.sendingRequest(s(ack), ack, peer)).toBe('send');
    expect(layer.receivedResponse(s(response(486, b, 'INVITE')))).toBe('absorbed');
    expect(sent.map((x) => x.data)).toEqual([ack]);
    layer.close();
  });
});

describe('UdpRetransmission — client non-INVITE transaction (RFC 3261 §17.1.2.2)', () => {
  it('it MUST retransmit at T1, 2·T1, 4·T1, then every T2 (Timer E capped at T2)', () => {
    const { timers, sent, layer } = setup();
    const bye = request({ method: 'BYE' });
    layer.sendingRequest(s(bye), bye, peer);
    timers.advance(64 * T1 - 1);
    // 0.5, 1.5, 3.5, 7.5, then every 4 s: 11.5, 15.5, 19.5, 23.5, 27.5, 31.5.
    expect(sent.map((x) => x.at)).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(T2).toBe(4000);
    layer.close();
  });

  it('it MUST retransmit every T2 once a provisional response has arrived, until a final one', () => {
    const { timers, sent, layer } = setup();
    const b = branch();
    const bye = request({ method: 'BYE', branch: b });
    layer.sendingRequest(s(bye), bye, peer);
    timers.advance(T1); // first retransmission at 500; next due at 1500
    layer.receivedResponse(s(response(100, b, 'BYE')));
    timers.advance(T1 + 4 * T2); // pending E fires at 1500, then every T2
    expect(sent.map((x) => x.at)).toEqual([500, 1500, 5500, 9500, 13500, 17500].filter((t) => t <= timers.now));
    layer.receivedResponse(s(response(200, b, 'BYE')));
    const count = sent.length;
    timers.advance(100 * T1);
    expect(sent).toHaveLength(count);
    layer.close();
  });

  it('it MUST give up at 64·T1 (Timer F) and report a timeout', () => {
    const { timers, timedOut, layer } = setup();
    const options = request({ method: 'OPTIONS' });
    layer.sendingRequest(s(options), options, peer);
    timers.advance(64 * T1);
    expect(timedOut).toEqual([options]);
    layer.close();
  });

  it('matches responses by branch AND CSeq method: a 200 to CANCEL does not stop the INVITE', () => {
    const { timers, sent, layer } = setup();
    const b = branch();
    const invite = request({ method: 'INVITE', branch: b });
    layer.sendingRequest(s(invite), invite, peer);
    layer.receivedResponse(s(response(200, b, 'CANCEL')));
    timers.advance(T1);
    expect(sent).toHaveLength(1);
    layer.close();
  });
});

describe('UdpRetransmission — server INVITE non-2xx final (RFC 3261 §17.2.1)', () => {
  function rejected(status = 486) {
    const ctx = setup();
    const b = branch();
    const invite = request({ method: 'INVITE', branch: b });
    const reply = response(status, b, 'INVITE').replace('127.0.0.1:5060', '127.0.0.1:5999');
    ctx.layer.sendingResponse(s(reply), reply, peer);
    return { ...ctx, b, invite, reply };
  }

  it('it MUST retransmit the final response at T1, 2·T1, 4·T1, then every T2 (Timer G) until the ACK', () => {
    const { timers, sent, layer, b } = rejected();
    timers.advance(16_000);
    expect(sent.map((x) => x.at)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    const ack = request({ method: 'ACK', branch: b });
    expect(layer.receivedRequest(s(ack))).toBe('pass');
    timers.advance(64 * T1);
    expect(sent).toHaveLength(6);
    layer.close();
  });

  it('it MUST stop retransmitting at 64·T1 without an ACK (Timer H)', () => {
    const { timers, sent, layer } = rejected();
    timers.advance(64 * T1);
    const count = sent.length;
    timers.advance(64 * T1);
    expect(sent).toHaveLength(count);
    expect(sent.every((x) => x.at < 64 * T1)).toBe(true);
    layer.close();
  });

  it('it MUST answer a retransmitted INVITE with the same final response', () => {
    const { sent, layer, invite, reply } = rejected(404);
    expect(layer.receivedRequest(s(invite))).toBe('absorbed');
    expect(sent.map((x) => x.data)).toEqual([reply]);
    layer.close();
  });

  it('leaves 2xx responses to the dialog layer (no Timer G for 2xx)', () => {
    const { timers, sent, layer } = setup();
    const reply = response(200, branch(), 'INVITE');
    layer.sendingResponse(s(reply), reply, peer);
    timers.advance(64 * T1);
    expect(sent).toHaveLength(0);
    expect(layer.cachedResponses).toBe(0);
    layer.close();
  });
});

describe('UdpRetransmission — server non-INVITE (Timer J, RFC 3261 §17.2.2)', () => {
  it('it MUST replay the final response to a retransmitted BYE for 64·T1, then forget it', () => {
    const { timers, sent, layer } = setup();
    const b = branch();
    const bye = request({ method: 'BYE', branch: b });
    const ok = response(200, b, 'BYE').replace('127.0.0.1:5060', '127.0.0.1:5999;rport');
    layer.sendingResponse(s(ok), ok, peer);
    expect(sent).toHaveLength(0); // non-INVITE responses are never retransmitted on their own
    timers.advance(64 * T1 - 1);
    expect(layer.receivedRequest(s(bye))).toBe('absorbed');
    expect(sent.map((x) => x.data)).toEqual([ok]);
    timers.advance(1);
    expect(layer.receivedRequest(s(bye))).toBe('pass');
    layer.close();
  });

  it('does not confuse transactions that share a branch but differ in sent-by', () => {
    const { layer } = setup();
    const b = branch();
    const ok = response(200, b, 'BYE').replace('127.0.0.1:5060', '127.0.0.1:5999');
    layer.sendingResponse(s(ok), ok, peer);
    const other = request({ method: 'BYE', branch: b, via: `Via: SIP/2.0/UDP 10.0.0.9:5060;branch=${b}` });
    expect(layer.receivedRequest(s(other))).toBe('pass');
    layer.close();
  });

  it('bounds the cache: the oldest entry goes first', () => {
    const timers = new ManualTimers();
    const layer = new UdpRetransmission({
      timers, settings: DEFAULT_SIP_TIMERS, logger: pino({ level: 'silent' }), transmit: () => undefined, requestTimedOut: () => undefined,
      maxCachedResponses: 3,
    });
    for (let i = 0; i < 5; i++) {
      const ok = response(200, branch(), 'OPTIONS');
      layer.sendingResponse(s(ok), ok, peer);
    }
    expect(layer.cachedResponses).toBe(3);
    layer.close();
    expect(timers.size).toBe(0);
  });

  it('close() cancels every timer', () => {
    const { timers, layer } = setup();
    const invite = request({ method: 'INVITE' });
    layer.sendingRequest(s(invite), invite, peer);
    const reply = response(486, branch(), 'INVITE');
    layer.sendingResponse(s(reply), reply, peer);
    expect(timers.size).toBeGreaterThan(0);
    layer.close();
    expect(timers.size).toBe(0);
  });
});
