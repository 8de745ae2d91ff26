import { callerIdentity } from '../../../src/calls/index.js';
import type { IncomingCall } from '../../../src/sip/index.js';
import { parseAddress } from '../../../src/sip/index.js';

/** An IncomingCall with just what caller identity reads: From and headers. */
function call(from: string, headers: Record<string, string[]> = {}): IncomingCall {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { from: parseAddress(from), header: (name: string) => lower[name.toLowerCase()] ?? [] } as unknown as IncomingCall;
}

describe('caller identity of an INVITE', () => {
  test('an E.164 number in From, with its display name', () => {
    expect(callerIdentity(call('"Fabrikam Desk" <sip:+12065550100@gw.contoso.com;user=phone>;tag=1'))).toEqual({ id: '+12065550100', isNumber: true, displayName: 'Fabrikam Desk' });
  });

  test('a SIP URI in From (a Lync user), lower-cased', () => {
    expect(callerIdentity(call('<sip:Kim@Contoso.com>;tag=1'))).toEqual({ id: 'kim@contoso.com', isNumber: false, displayName: null });
  });

  test('P-Asserted-Identity wins over From, and its number over its SIP URI', () => {
    const c = call('<sip:gateway@gw.contoso.com>;tag=1', { 'P-Asserted-Identity': ['"Dana" <sip:dana@contoso.com>, <tel:+14255550106>'] });
    expect(callerIdentity(c)).toMatchObject({ id: '+14255550106', isNumber: true });
  });

  test.each([
    ['Privacy: id', '<sip:+12065550100@gw>;tag=1', { Privacy: ['id'] }],
    ['Privacy: header', '<sip:+12065550100@gw>;tag=1', { Privacy: ['header;critical'] }],
    ['anonymous From', '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1', {}],
    ['restricted user', '<sip:restricted@gw.contoso.com>;tag=1', {}],
  ])('%s hides the caller', (_name, from, headers) => {
    expect(callerIdentity(call(from, headers as Record<string, string[]>))).toEqual({ id: null, isNumber: false, displayName: null });
  });

  test('Privacy: none keeps the caller', () => {
    expect(callerIdentity(call('<sip:+12065550100@gw>;tag=1', { Privacy: ['none'] })).id).toBe('+12065550100');
  });
});
