import { callerIdFor } from '../../../src/calls/play-on-phone/index.js';

const kim = { Alias: 'kim', DisplayName: 'Kim Akers', Extensions: ['50101'], SIPResourceIdentifier: 'kim@contoso.com' };

describe('Play on Phone caller ID (spec §8 step 4)', () => {
  test('the dial plan’s DefaultOutboundCallingLineId wins, as digits with its +', () => {
    expect(callerIdFor({ dialPlan: { URIType: 'SipName', DefaultOutboundCallingLineId: '+1 (425) 555-0100' }, mailbox: kim, domain: 'contoso.com' }))
      .toEqual({ uri: 'sip:+14255550100@contoso.com;user=phone' });
  });

  test('otherwise the user: SIP URI in a SipName dial plan, extension in a TelExtn one, E.164 in an E164 one', () => {
    expect(callerIdFor({ dialPlan: { URIType: 'SipName' }, mailbox: kim, domain: 'contoso.com' })).toEqual({ uri: 'sip:kim@contoso.com', displayName: 'Kim Akers' });
    expect(callerIdFor({ dialPlan: { URIType: 'TelExtn' }, mailbox: kim, domain: 'contoso.com' })).toEqual({ uri: 'sip:50101@contoso.com;user=phone', displayName: 'Kim Akers' });
    expect(callerIdFor({ dialPlan: { URIType: 'E164' }, mailbox: { ...kim, SIPResourceIdentifier: '+14255550101' }, domain: 'contoso.com' }))
      .toEqual({ uri: 'sip:+14255550101@contoso.com;user=phone', displayName: 'Kim Akers' });
  });

  test('what the user lacks falls back to what they have', () => {
    expect(callerIdFor({ dialPlan: { URIType: 'SipName' }, mailbox: { ...kim, SIPResourceIdentifier: undefined }, domain: 'contoso.com' }).uri).toBe('sip:50101@contoso.com;user=phone');
    expect(callerIdFor({ dialPlan: { URIType: 'TelExtn' }, mailbox: { ...kim, Extensions: [] }, domain: 'contoso.com' }).uri).toBe('sip:kim@contoso.com');
    expect(callerIdFor({ dialPlan: { URIType: 'TelExtn' }, mailbox: { ...kim, Extensions: [], SIPResourceIdentifier: undefined }, domain: 'contoso.com' }).uri).toBe('sip:kim@contoso.com');
  });
});
