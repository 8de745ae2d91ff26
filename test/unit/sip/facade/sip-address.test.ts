import { Grammar } from 'sip.js/lib/core/index.js';
import type { URI } from 'sip.js/lib/core/index.js';
import { SipAddressParseError, parseAddress, parseAddressHeader, parseUri } from '../../../../src/sip/index.js';
import { addressFromNameAddr, addressFromUri } from '../../../../src/sip/facade/sip-address.js';

describe('parseUri', () => {
  it('reads user, host (lower-cased), port-less host and URI parameters of a sip: URI', () => {
    expect(parseUri('sip:+14255551234@GW.Contoso.com:5060;user=phone;Transport=TCP')).toEqual({
      scheme: 'sip', user: '+14255551234', host: 'gw.contoso.com', params: { user: 'phone', transport: 'TCP' },
      uri: 'sip:+14255551234@GW.Contoso.com:5060;user=phone;Transport=TCP',
    });
  });

  it('keeps ; inside the user part (RFC 3261 user-unreserved) out of the parameters', () => {
    const address = parseUri('sip:+1555;phone-context=contoso.com@gw.contoso.com;user=phone');
    expect(address.user).toBe('+1555;phone-context=contoso.com');
    expect(address.params).toEqual({ user: 'phone' });
  });

  it('reads tel: numbers with their parameters and no host (RFC 3966)', () => {
    expect(parseUri('tel:+4930999;phone-context=+49')).toEqual({ scheme: 'tel', user: '+4930999', host: '', params: { 'phone-context': '+49' }, uri: 'tel:+4930999;phone-context=+49' });
  });

  it('reads sips:, IPv6 hosts, and drops URI headers and passwords', () => {
    const address = parseUri('sips:kim:secret@[2001:db8::1]:5061;transport=tls?subject=hi');
    expect(address).toMatchObject({ scheme: 'sips', user: 'kim', host: '[2001:db8::1]', params: { transport: 'tls' } });
  });

  it.each(['kim@contoso.com', 'http://contoso.com', 'sip:kim@', 'sip:kim@host:99999', 'tel:', 'sip:kim @host'])('refuses %j with SipAddressParseError', (text) => {
    expect(() => parseUri(text)).toThrow(SipAddressParseError);
    try {
      parseUri(text);
    } catch (error) {
      expect((error as SipAddressParseError).code).toBe('OPENUM_SIP_ADDRESS_PARSE');
    }
  });
});

describe('parseAddress (one name-addr or addr-spec)', () => {
  it('reads a quoted display name with escapes and the header parameters after ">"', () => {
    const address = parseAddress('"Kim \\"K\\" Akers" <sip:kim@contoso.com;user=phone>;tag=abc;Privacy');
    expect(address.displayName).toBe('Kim "K" Akers');
    expect(address.params).toEqual({ user: 'phone' });
    expect(address.headerParams).toEqual({ tag: 'abc', privacy: '' });
  });

  it('reads a token display name and a bare <URI>', () => {
    expect(parseAddress('Kim  Akers <sip:kim@contoso.com>').displayName).toBe('Kim Akers');
    expect(parseAddress('<sip:kim@contoso.com>').displayName).toBeUndefined();
  });

  it('gives ; parameters of an addr-spec without angle brackets to the header (RFC 3261 §20)', () => {
    const address = parseAddress('sip:kim@contoso.com;tag=xyz');
    expect(address.uri).toBe('sip:kim@contoso.com');
    expect(address.params).toEqual({});
    expect(address.headerParams).toEqual({ tag: 'xyz' });
  });

  it('reads a Diversion header with its reason (RFC 5806)', () => {
    const address = parseAddress('<sip:kim@contoso.com>;reason=no-answer;counter=1;privacy=off');
    expect(address).toMatchObject({ user: 'kim', host: 'contoso.com', headerParams: { reason: 'no-answer', counter: '1', privacy: 'off' } });
  });

  it('unquotes quoted header parameter values', () => {
    expect(parseAddress('<sip:a@b>;reason="user busy"').headerParams).toEqual({ reason: 'user busy' });
  });

  it.each(['"Kim <sip:kim@contoso.com>', '<sip:kim@contoso.com', '<sip:kim@contoso.com> junk', 'Ki"m <sip:a@b>'])('refuses %j', (text) => {
    expect(() => parseAddress(text)).toThrow(SipAddressParseError);
  });
});

describe('parseAddressHeader (comma-separated lists)', () => {
  it('splits History-Info entries and keeps each index (RFC 7044)', () => {
    const entries = parseAddressHeader('<sip:a@b>;index=1, <sip:c@d>;index=1.1');
    expect(entries.map((e) => [e.uri, e.headerParams.index])).toEqual([['sip:a@b', '1'], ['sip:c@d', '1.1']]);
  });

  it('does not split on commas inside quoted display names or inside <…>', () => {
    const entries = parseAddressHeader('"Akers, Kim" <sip:kim@contoso.com;x=a,b>;reason=unconditional, <tel:+1555>;reason=no-answer');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ displayName: 'Akers, Kim', user: 'kim', params: { x: 'a,b' }, headerParams: { reason: 'unconditional' } });
    expect(entries[1]).toMatchObject({ scheme: 'tel', user: '+1555', headerParams: { reason: 'no-answer' } });
  });

  it('leaves out entries that do not parse instead of losing the whole header', () => {
    const entries = parseAddressHeader('<mailto:kim@contoso.com>, <sip:kim@contoso.com>;index=2, <sip:broken');
    expect(entries.map((e) => e.uri)).toEqual(['sip:kim@contoso.com']);
  });

  it('returns nothing for an empty value', () => {
    expect(parseAddressHeader('')).toEqual([]);
  });
});

describe('addresses from SIP.js objects', () => {
  it('reads a SIP.js URI (as the core parses a Request-URI)', () => {
    const uri = Grammar.URIParse('sip:+15551234567@127.0.0.1:5070;user=phone') as URI;
    expect(addressFromUri(uri)).toEqual({ scheme: 'sip', user: '+15551234567', host: '127.0.0.1', params: { user: 'phone' }, uri: uri.toString() });
  });

  it('reads a SIP.js name-addr header with display name and tag', () => {
    const header = Grammar.nameAddrHeaderParse('"Kim Akers" <sip:kim@contoso.com>;tag=t1');
    if (!header) throw new Error('grammar refused the test header');
    expect(addressFromNameAddr(header)).toMatchObject({ displayName: 'Kim Akers', user: 'kim', host: 'contoso.com', headerParams: { tag: 't1' } });
  });
});
