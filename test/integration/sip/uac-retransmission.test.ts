import pino from 'pino';
import { Grammar } from 'sip.js/lib/core/index.js';
import type { URI } from 'sip.js/lib/core/index.js';
import { SipEndpoint } from '../../../src/sip/index.js';
import { ManualTimers } from '../../unit/sip/support/manual-timers.js';
import { UdpPeer } from '../../unit/sip/support/sip-peers.js';

const T1 = 500;

function uri(text: string): URI {
  const parsed = Grammar.URIParse(text);
  if (!parsed) throw new Error(`bad URI ${text}`);
  return parsed;
}

/** Outbound requests over real UDP to a silent peer, with the retransmission clock driven by hand. */
describe('SipEndpoint as UAC over UDP (RFC 3261 §17.1, injected timers)', () => {
  let timers: ManualTimers;
  let endpoint: SipEndpoint;
  let silent: UdpPeer;

  beforeEach(async () => {
    timers = new ManualTimers();
    endpoint = await SipEndpoint.start({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], logger: pino({ level: 'silent' }), timers });
    silent = await UdpPeer.open(endpoint.listeners[0]?.port ?? 0);
  });

  afterEach(() => {
    silent.close();
    endpoint.close();
  });

  it('it MUST retransmit the INVITE at T1, 2·T1, 4·T1 … and report 408 to the application at 64·T1 (Timers A and B)', async () => {
    const core = endpoint.core('udp');
    const target = uri(`sip:alice@127.0.0.1:${silent.port}`);
    const request = core.makeOutgoingRequestMessage('INVITE', target, uri('sip:openum@127.0.0.1'), target, {}, [`Contact: ${core.configuration.contact.toString()}`]);
    const rejected: number[] = [];
    core.invite(request, { onReject: (response) => { rejected.push(response.message.statusCode ?? 0); } });
    await silent.waitFor((r) => r.length === 1);
    const expectedAt = [1, 3, 7, 15, 31, 63].map((k) => k * T1);
    for (const [i, at] of expectedAt.entries()) {
      timers.advance(at - timers.now - 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(silent.received).toHaveLength(i + 1); // nothing early
      timers.advance(1);
      await silent.waitFor((r) => r.length === i + 2);
    }
    expect(silent.received.every((m) => m.startsWith('INVITE '))).toBe(true);
    expect(new Set(silent.received).size).toBe(1); // identical retransmissions, same branch
    expect(rejected).toEqual([]);
    timers.advance(64 * T1 - timers.now);
    expect(rejected).toEqual([408]);
    await new Promise((r) => setTimeout(r, 50));
    expect(silent.received.filter((m) => m.startsWith('ACK '))).toHaveLength(0); // no ACK for a 408 nobody sent
  });

  it('it MUST retransmit a non-INVITE request and report 408 at 64·T1 (Timers E and F)', async () => {
    const core = endpoint.core('udp');
    const target = uri(`sip:127.0.0.1:${silent.port}`);
    const request = core.makeOutgoingRequestMessage('OPTIONS', target, uri('sip:openum@127.0.0.1'), target, {});
    const rejected: number[] = [];
    core.request(request, { onReject: (response) => { rejected.push(response.message.statusCode ?? 0); } });
    await silent.waitFor((r) => r.length === 1);
    timers.advance(64 * T1 - 1);
    // E: 0.5, 1.5, 3.5, 7.5, then every T2 (4 s) up to 31.5 s: 10 retransmissions.
    await silent.waitFor((r) => r.length === 11);
    expect(rejected).toEqual([]);
    timers.advance(1);
    expect(rejected).toEqual([408]);
  });

  it('it MUST stop retransmitting once the peer answers', async () => {
    const core = endpoint.core('udp');
    const target = uri(`sip:127.0.0.1:${silent.port}`);
    const request = core.makeOutgoingRequestMessage('OPTIONS', target, uri('sip:openum@127.0.0.1'), target, {});
    const accepted: number[] = [];
    core.request(request, { onAccept: (response) => { accepted.push(response.message.statusCode ?? 0); } });
    await silent.waitFor((r) => r.length === 1);
    const sent = silent.received[0] ?? '';
    const head = sent.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
    const copy = head.filter((l) => /^(via|from|to|call-id|cseq):/i.test(l)).map((l) => (/^to:/i.test(l) ? `${l};tag=peer` : l));
    await silent.send(['SIP/2.0 200 OK', ...copy, 'Content-Length: 0', '', ''].join('\r\n'));
    for (let i = 0; i < 100 && accepted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(accepted).toEqual([200]);
    timers.advance(64 * T1);
    await new Promise((r) => setTimeout(r, 50));
    expect(silent.received).toHaveLength(1);
  });
});
