import { outcallGateways, requestUriFor } from '../../../src/calls/play-on-phone/index.js';
import { playOnPhoneConfiguration } from '../../support/play-on-phone-setup.js';

describe('Play on Phone gateway choice (spec §8 step 4)', () => {
  const configuration = playOnPhoneConfiguration('/tmp/unused', [
    { name: 'First', port: 5060 },
    { name: 'NoOutcalls', port: 5061, outcallsAllowed: false },
    { name: 'Off', port: 5062, status: 'Disabled' },
    { name: 'LyncOnly', port: 5063, dialPlans: ['Lync'] },
    { name: 'Both', port: 5064, transport: 'TCP', dialPlans: ['lync', 'REDMOND'] },
  ]);

  test('enabled gateways with OutcallsAllowed serving the dial plan (case-insensitive), in configured order', () => {
    expect(outcallGateways(configuration.UMIPGateways, 'Redmond')).toEqual([
      { name: 'First', via: { address: '127.0.0.1', port: 5060, protocol: 'udp' } },
      { name: 'Both', via: { address: '127.0.0.1', port: 5064, protocol: 'tcp' } },
    ]);
    expect(outcallGateways(configuration.UMIPGateways, 'Lync').map((g) => g.name)).toEqual(['LyncOnly', 'Both']);
    expect(outcallGateways(configuration.UMIPGateways, 'Nowhere')).toEqual([]);
  });

  test('the Request-URI: digits at the gateway with user=phone, the port only when not the default; SIP URIs as they are', () => {
    const udp = { name: 'g', via: { address: 'gw.contoso.com', port: 5060, protocol: 'udp' as const } };
    const tls = { name: 'g', via: { address: 'gw.contoso.com', port: 5061, protocol: 'tls' as const } };
    const odd = { name: 'g', via: { address: '::1', port: 5070, protocol: 'tcp' as const } };
    expect(requestUriFor('914255551234', udp)).toBe('sip:914255551234@gw.contoso.com;user=phone');
    expect(requestUriFor('914255551234', tls)).toBe('sip:914255551234@gw.contoso.com;user=phone');
    expect(requestUriFor('50107', odd)).toBe('sip:50107@[::1]:5070;user=phone');
    expect(requestUriFor('kim@fabrikam.com', udp)).toBe('sip:kim@fabrikam.com');
    expect(requestUriFor('sip:kim@fabrikam.com;transport=tcp', udp)).toBe('sip:kim@fabrikam.com;transport=tcp');
  });
});
