import { summarize } from '../../../../src/sip/messages/message-summary.js';
import { parseVia } from '../../../../src/sip/messages/via.js';
import { requestNextHop, resolveRequestDestination, responseDestination } from '../../../../src/sip/transport/destination.js';
import { request } from '../support/sip-messages.js';

function via(text: string) {
  const parsed = parseVia(text);
  if (!parsed) throw new Error('bad test Via');
  return parsed;
}

describe('responseDestination (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('UDP: received and rport win', () => {
    expect(responseDestination(via('SIP/2.0/UDP gw.example.com:5070;branch=z9hG4bK1;received=192.0.2.1;rport=40000'), false))
      .toEqual({ address: '192.0.2.1', port: 40000 });
  });

  it('UDP: received with the sent-by port when there is no rport value', () => {
    expect(responseDestination(via('SIP/2.0/UDP gw.example.com:5070;branch=z9hG4bK1;received=192.0.2.1'), false))
      .toEqual({ address: '192.0.2.1', port: 5070 });
  });

  it('UDP: sent-by, else port 5060', () => {
    expect(responseDestination(via('SIP/2.0/UDP 192.0.2.7;branch=z9hG4bK1'), false)).toEqual({ address: '192.0.2.7', port: 5060 });
  });

  it('TCP: prefers the connection the request came on, else a new one to the sent-by port', () => {
    expect(responseDestination(via('SIP/2.0/TCP 192.0.2.7:5070;branch=z9hG4bK1;received=192.0.2.1;rport=40000'), true))
      .toEqual({ address: '192.0.2.1', port: 5070, connection: { address: '192.0.2.1', port: 40000 } });
    expect(responseDestination(via('SIP/2.0/TLS 192.0.2.7;branch=z9hG4bK1'), true)).toEqual({ address: '192.0.2.7', port: 5061 });
  });

  it('IPv6 sent-by', () => {
    expect(responseDestination(via('SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK1'), false)).toEqual({ address: '2001:db8::1', port: 5062 });
  });
});

describe('request next hop (RFC 3261 §8.1.2)', () => {
  it('uses the first Route when present', () => {
    const s = summarize(request({ method: 'INVITE', uri: 'sip:alice@198.51.100.9', extra: ['Route: <sip:192.0.2.5:5080;lr>, <sip:192.0.2.6;lr>'] }));
    expect(s && requestNextHop(s)).toEqual({ host: '192.0.2.5', port: 5080 });
  });

  it('else the Request-URI, default port 5060 (5061 for sips)', () => {
    const s = summarize(request({ method: 'INVITE', uri: 'sip:alice@198.51.100.9' }));
    expect(s && requestNextHop(s)).toEqual({ host: '198.51.100.9', port: 5060 });
    const t = summarize(request({ method: 'INVITE', uri: 'sips:alice@198.51.100.9' }));
    expect(t && requestNextHop(t)).toEqual({ host: '198.51.100.9', port: 5061 });
  });

  it('resolves host names through the injected resolver', async () => {
    const s = summarize(request({ method: 'OPTIONS', uri: 'sip:gw.example.com:5070' }));
    if (!s) throw new Error('unparsable');
    await expect(resolveRequestDestination(s, async (host) => (host === 'gw.example.com' ? '192.0.2.44' : '0.0.0.0')))
      .resolves.toEqual({ address: '192.0.2.44', port: 5070 });
    await expect(resolveRequestDestination(s, async () => { throw new Error('NXDOMAIN'); })).rejects.toMatchObject({ code: 'OPENUM_SIP_TRANSPORT' });
  });
});
