import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Grammar } from 'sip.js/lib/grammar/index.js';
import { ClientTransaction, LoggerFactory, UserAgentCore } from 'sip.js/lib/core/index.js';
import type { OutgoingRequestMessage, UserAgentCoreConfiguration } from 'sip.js/lib/core/index.js';

const require = createRequire(import.meta.url);
const sipJs = dirname(require.resolve('sip.js/package.json'));

describe('the SIP.js patches (scripts/patch-sip-js.mjs, run after npm ci)', () => {
  test('are applied', () => {
    expect(readFileSync(join(sipJs, 'lib/grammar/pegjs/dist/grammar.js'), 'utf8')).toContain('/* openum: bytecode decoded once */');
    expect(readFileSync(join(sipJs, 'lib/core/user-agent-core/user-agent-core.js'), 'utf8')).toContain('/* openum: indexed merged-request detection */');
    expect(readFileSync(join(sipJs, 'lib/grammar/grammar.js'), 'utf8')).toContain('/* openum: parsed-header cache v4 */');
    expect(readFileSync(join(sipJs, 'lib/core/transactions/client-transaction.js'), 'utf8')).toContain('/* openum: unique branches */');
    expect(readFileSync(join(sipJs, 'lib/core/transactions/invite-client-transaction.js'), 'utf8')).toContain('/* openum: unique branches */');
  });

  test('grammar: a header value parsed again comes from the cache as an equal, independent copy', () => {
    const from = '"Kim Akers" <sip:50101@contoso.com;user=phone>;tag=p6gkficjlo';
    const first = Grammar.parse(from, 'From');
    first.setParam('tag', 'changed');
    first.uri.user = 'mallory';
    const second = Grammar.parse(from, 'From');
    expect(second.getParam('tag')).toBe('p6gkficjlo');
    expect(second.uri.user).toBe('50101');
    expect(second.displayName).toBe('Kim Akers');
    expect(second).not.toBe(Grammar.parse(from, 'From'));

    const via = 'SIP/2.0/UDP 127.0.0.1:41880;branch=z9hG4bK374;rport=41880;received=127.0.0.1';
    const v1 = Grammar.parse(via, 'Via');
    v1.branch = 'changed';
    expect(Grammar.parse(via, 'Via')).toMatchObject({ host: '127.0.0.1', port: 41880, branch: 'z9hG4bK374', received: '127.0.0.1' });

    const contact = '"Phone" <sip:phone@127.0.0.1:51290;transport=UDP>;expires=60, <sip:other@example.com>';
    const c1 = Grammar.parse(contact, 'Contact');
    c1[0].parsed.uri.host = 'changed';
    const c2 = Grammar.parse(contact, 'Contact');
    expect(c2.map((c: { parsed: { uri: { host: string } } }) => c.parsed.uri.host)).toEqual(['127.0.0.1', 'example.com']);
    expect(c2[0].parsed.getParam('expires')).toBe('60');

    // A value that does not parse stays -1, cached or not.
    expect(Grammar.parse('<<<', 'From')).toBe(-1);
    expect(Grammar.parse('<<<', 'From')).toBe(-1);
  });

  test('grammar: tags and branches differ per dialog and transaction; each copy gets its own', () => {
    const tags = ['a1', 'b2-x.y', 'C3~*'];
    const froms = tags.map((tag) => Grammar.parse(`"Kim" <sip:kim@contoso.com;tag=inuri>;tag=${tag};x=1`, 'From'));
    expect(froms.map((f) => f.getParam('tag'))).toEqual(tags);
    expect(froms.map((f) => f.uri.getParam('tag'))).toEqual(['inuri', 'inuri', 'inuri']);
    expect(froms.map((f) => f.getParam('x'))).toEqual(['1', '1', '1']);
    expect(Grammar.parse('sip:kim@contoso.com;TAG=Up', 'To').getParam('tag')).toBe('Up');
    expect(Grammar.parse('<sip:kim@contoso.com>', 'To').getParam('tag')).toBeUndefined();
    // The parameter twice, or a quoted value that holds ";tag=": parsed in full, as SIP.js would.
    expect(Grammar.parse('<sip:a@b>;tag=a;tag=b', 'To').getParam('tag')).toBe('b');
    const quoted = Grammar.parse('<sip:a@b>;foo="p ;tag=evil q";tag=real', 'To');
    expect(quoted.getParam('tag')).toBe('real');
    expect(quoted.getParam('foo')).toBe('"p ;tag=evil q"');
    expect(Grammar.parse('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;branch=z9hG4bK2', 'Via').branch).toBe('z9hG4bK2');
    expect(Grammar.parse('SIP/2.0/UDP 10.0.0.1;x="a ;branch=evil b";branch=z9hG4bKreal', 'Via').branch).toBe('z9hG4bKreal');
    // Not a token: not templated, parsed (and refused) as it is.
    expect(Grammar.parse('<sip:kim@contoso.com>;tag=a"b', 'To')).toBe(-1);

    const vias = ['z9hG4bK1', 'z9hG4bK2'].map((branch) => Grammar.parse(`SIP/2.0/UDP 127.0.0.1:5060;branch=${branch};rport`, 'Via'));
    expect(vias.map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK2']);
    vias[0].branch = 'changed';
    expect(Grammar.parse('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK2;rport', 'Via').branch).toBe('z9hG4bK2');
    // Several Vias in one value are not templated: SIP.js's grammar keeps the last one's branch, and so does the cache.
    for (let i = 0; i < 2; i++) expect(Grammar.parse('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1, SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK9', 'Via').branch).toBe('z9hG4bK9');
  });

  test('grammar: first lines, CSeq, Call-ID, Record-Route and Content-* come from the cache as independent copies', () => {
    const request = Grammar.parse('INVITE sip:bob@127.0.0.1:5060 SIP/2.0', 'Request_Response');
    request.uri.user = 'changed';
    expect(Grammar.parse('INVITE sip:bob@127.0.0.1:5060 SIP/2.0', 'Request_Response').uri.user).toBe('bob');
    const response = Grammar.parse('SIP/2.0 486 Busy Here', 'Request_Response');
    response.status_code = 0;
    expect(Grammar.parse('SIP/2.0 486 Busy Here', 'Request_Response')).toEqual({ sip_version: 'SIP/2.0', status_code: 486, reason_phrase: 'Busy Here' });
    const cseq = Grammar.parse('7 BYE', 'CSeq');
    cseq.value = 8;
    expect(Grammar.parse('7 BYE', 'CSeq')).toEqual({ value: 7, method: 'BYE' });
    const route = Grammar.parse('<sip:10.0.0.1;lr>, <sip:10.0.0.2;lr>', 'Record_Route');
    route[0].parsed.uri.host = 'changed';
    expect(Grammar.parse('<sip:10.0.0.1;lr>, <sip:10.0.0.2;lr>', 'Record_Route').map((r: { parsed: { uri: { host: string } } }) => r.parsed.uri.host)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(Grammar.parse('abc@127.0.0.1', 'Call_ID')).toBe('abc@127.0.0.1');
    expect(Grammar.parse('129', 'Content_Length')).toBe(129);
    expect(Grammar.parse('70', 'Max_Forwards')).toBe(70);
    expect(Grammar.parse('not a number', 'Content_Length')).toBe(-1);
    expect(Grammar.parse('not a number', 'Content_Length')).toBe(-1);
  });

  test('grammar: URIs (Grammar.URIParse: next hops, dialed targets) come from the cache as equal, independent copies', () => {
    const text = 'sip:+14255550123@[2001:db8::1]:5070;user=phone;transport=tcp?Subject=x';
    const cached = (Grammar as unknown as { openumCacheSize(): number }).openumCacheSize;
    const entries = cached();
    const first = Grammar.URIParse(text)!;
    expect(cached()).toBe(entries + 1);
    const snapshot = { scheme: first.scheme, user: first.user, host: first.host, port: first.port, user_param: first.getParam('user'), text: first.toString() };
    expect(snapshot).toEqual({ scheme: 'sip', user: '+14255550123', host: '[2001:db8::1]', port: 5070, user_param: 'phone', text });
    first.user = 'changed';
    first.setParam('transport', 'udp');
    first.setHeader('subject', 'y');
    const second = Grammar.URIParse(text)!;
    expect(cached()).toBe(entries + 1); // from the cache: parsed once
    expect(second).not.toBe(first);
    expect(second.user).toBe('+14255550123');
    expect(second.getParam('transport')).toBe('tcp');
    expect(second.toString()).toBe(text);
    // A copy is a URI like a fresh parse: its methods work, clone() included.
    expect(second.clone().toString()).toBe(text);
    expect(Grammar.URIParse('sip:')).toBeUndefined();
    expect(Grammar.URIParse('sip:')).toBeUndefined();
  });

  test('grammar: parsing still works, repeatedly, for several rules (the shared bytecode is never mutated)', () => {
    for (let i = 0; i < 3; i++) {
      const uri = Grammar.URIParse(`sip:kim${i}@contoso.com;transport=tcp`);
      expect(uri?.user).toBe(`kim${i}`);
      expect(uri?.getParam('transport')).toBe('tcp');
      const nameAddr = Grammar.nameAddrHeaderParse(`"Kim ${i}" <sip:kim@contoso.com>;tag=a${i}`);
      expect(nameAddr?.displayName).toBe(`Kim ${i}`);
      expect(nameAddr?.getParam('tag')).toBe(`a${i}`);
    }
    expect(Grammar.URIParse('not a uri')).toBeUndefined();
  });

  test('transactions: Via branches are unique — 200,000 in a row, none twice (SIP.js drew them from 10^7 numbers)', () => {
    // makeId is private in the typings; it is what every client transaction's constructor calls.
    const { makeId } = ClientTransaction as unknown as { makeId(request: Partial<OutgoingRequestMessage>): string };
    const branches = new Set<string>();
    for (let i = 0; i < 200_000; i++) branches.add(makeId({ method: 'BYE' }));
    expect(branches.size).toBe(200_000);
    expect([...branches].every((branch) => /^z9hG4bK[0-9a-f]{32}$/.test(branch))).toBe(true);
    // A CANCEL keeps its INVITE's branch (RFC 3261 §9.1).
    expect(makeId({ method: 'CANCEL', branch: 'z9hG4bKinvite' })).toBe('z9hG4bKinvite');
  });

  test('core: the server-transaction map counts requests by (From tag, Call-ID, CSeq) as it changes', () => {
    const core = new UserAgentCore({ loggerFactory: new LoggerFactory() } as unknown as UserAgentCoreConfiguration);
    type Servers = Map<string, unknown> & { hasRequestLike(m: object): boolean };
    const servers = core.userAgentServers as unknown as Servers;
    const request = (fromTag: string, cseq: number) => ({ fromTag, callId: 'c1', cseq });
    const uas = (fromTag: string, cseq: number) => ({ transaction: { request: request(fromTag, cseq) } });
    servers.set('b1', uas('t1', 1));
    servers.set('b2', uas('t1', 1)); // the same request by another path: merged
    servers.set('b3', uas('t2', 1));
    expect(servers.hasRequestLike(request('t1', 1))).toBe(true);
    expect(servers.hasRequestLike(request('t1', 2))).toBe(false);
    servers.delete('b1');
    expect(servers.hasRequestLike(request('t1', 1))).toBe(true);
    servers.delete('b2');
    expect(servers.hasRequestLike(request('t1', 1))).toBe(false);
    servers.set('b3', uas('t3', 5)); // replacing an entry forgets the old request
    expect(servers.hasRequestLike(request('t2', 1))).toBe(false);
    expect(servers.hasRequestLike(request('t3', 5))).toBe(true);
    servers.clear();
    expect(servers.hasRequestLike(request('t3', 5))).toBe(false);
    expect(servers.size).toBe(0);
  });
});
