// HTTP authentication end to end: the HttpAuthenticator over a real SQLite credential store, wired as the
// app wires it (throttle hook, then EWS, Autodiscover and the JSON API). Basic in its three user-name
// forms, bearer tokens and their revocation, 401 challenges, and 429 after repeated failures — per client
// address and per user name — with a fake clock for the back-off.
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerJsonApi } from '../../../src/http/api/index.js';
import { HttpAuthenticator, registerAuthenticationThrottle, userNameResolver } from '../../../src/http/auth/index.js';
import { registerAutodiscover } from '../../../src/http/autodiscover/index.js';
import { registerEws } from '../../../src/http/ews/index.js';
import { openMessageStore } from '../../../src/mailbox/index.js';
import type { MessageStore } from '../../../src/mailbox/index.js';
import type { InMemoryUmBackend } from './in-memory-um-backend.js';
import { listen, populatedBackend, soap } from './ews-test-kit.js';
import type { TestServer } from './ews-test-kit.js';
import { stubCheckDial } from './json-api-test-kit.js';

const FIND_VOICEMAIL = soap('<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="voicemail"/></m:ParentFolderIds></m:FindItem>');
const KIM_PASSWORD = 'kim secret 1';
const LEE_PASSWORD = 'lee secret 2';

let dir: string;
let store: MessageStore;
let backend: InMemoryUmBackend;
let server: TestServer;
const clock = { now: 1_000_000 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openum-auth-'));
  store = await openMessageStore({ Server: { DataDirectory: dir, Storage: { Kind: 'sqlite' } } } as Parameters<typeof openMessageStore>[0]);
  await store.credentials.setPassword('kim', KIM_PASSWORD);
  await store.credentials.setPassword('lee', LEE_PASSWORD);
  backend = await populatedBackend();
});
afterAll(async () => {
  await store.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

// A fresh authenticator (fresh failure counts) per test.
beforeEach(async () => {
  const app = Fastify({ logger: false });
  const authenticator = new HttpAuthenticator({ credentials: store.credentials, findUserByName: userNameResolver(backend), now: () => clock.now });
  registerAuthenticationThrottle(app, authenticator);
  registerEws(app, { backend, authenticate: authenticator.authenticate });
  registerAutodiscover(app, { backend, authenticate: authenticator.authenticate });
  registerJsonApi(app, { backend, authenticate: authenticator.authenticate, checkDial: stubCheckDial });
  server = await listen(app);
});
afterEach(async () => {
  await server.close();
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request, optionally from another loopback address (Linux routes all of 127/8 to lo). */
function send(method: string, path: string, headers: Record<string, string>, body?: string, localAddress = '127.0.0.1'): Promise<Exchange> {
  const url = new URL(path, server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const api = (authorization?: string, from?: string) => send('GET', '/api/v1/messages', authorization === undefined ? {} : { authorization }, undefined, from);
const ews = (authorization?: string) =>
  send('POST', '/EWS/Exchange.asmx', { 'content-type': 'text/xml; charset=utf-8', ...(authorization === undefined ? {} : { authorization }) }, FIND_VOICEMAIL);

describe('Basic', () => {
  test.each([['the alias', 'kim'], ['the alias in another case', 'KIM'], ['DOMAIN\\alias', 'CONTOSO\\kim'], ['the PrimarySmtpAddress', 'kim@contoso.com']])('signs in with %s', async (_what, user) => {
    const r = await api(basic(user, KIM_PASSWORD));
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as { messages: unknown[] }).messages).toHaveLength(2);
  });

  test('the authenticated user is the one EWS serves', async () => {
    const r = await ews(basic('lee@contoso.com', LEE_PASSWORD));
    expect(r.status).toBe(200);
    expect(r.body).toContain('ResponseClass="Success"');
    expect(r.body.match(/<t:ItemId /g)).toHaveLength(1);
  });

  test.each([
    ['a wrong password', basic('kim', 'kim secret 2')],
    ['another user\'s password', basic('kim', LEE_PASSWORD)],
    ['an unknown user', basic('nobody', KIM_PASSWORD)],
    ['an SMTP address that is no mailbox\'s', basic('kim@fabrikam.com', KIM_PASSWORD)],
    ['a malformed header', 'Basic %%%'],
  ])('refuses %s with 401 and the challenges', async (_what, authorization) => {
    for (const r of [await api(authorization), await ews(authorization)]) {
      expect(r.status).toBe(401);
      expect(String(r.headers['www-authenticate'])).toContain('Basic realm="openum"');
    }
  });

  test('Autodiscover asks for credentials and accepts the mailbox password', async () => {
    const body = '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>kim@contoso.com</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>';
    const anonymous = await send('POST', '/Autodiscover/Autodiscover.xml', { 'content-type': 'text/xml' }, body);
    expect(anonymous.status).toBe(401);
    const signedIn = await send('POST', '/Autodiscover/Autodiscover.xml', { 'content-type': 'text/xml', authorization: basic('kim@contoso.com', KIM_PASSWORD) }, body);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toContain('/EWS/Exchange.asmx');
  });
});

describe('Bearer', () => {
  test('a token signs in as its mailbox until it is revoked', async () => {
    const { token, info } = await store.credentials.createToken('lee', { label: 'test' });
    const ok = await api(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('0b6f1c9e-0000-4000-8000-0000000000ee');
    expect((await ews(`Bearer ${token}`)).status).toBe(200);
    expect(await store.credentials.revokeToken('lee', info.id)).toBe(true);
    const revoked = await api(`Bearer ${token}`);
    expect(revoked.status).toBe(401);
    expect(String(revoked.headers['www-authenticate'])).toContain('Bearer realm="openum"');
  });

  test('a token whose mailbox left the directory is refused', async () => {
    const { token } = await store.credentials.createToken('departed');
    expect((await api(`Bearer ${token}`)).status).toBe(401);
  });

  test('a made-up token is refused', async () => {
    expect((await api(`Bearer openum_${'A'.repeat(43)}`)).status).toBe(401);
    expect((await api('Bearer not-a-token')).status).toBe(401);
  });
});

describe('throttling', () => {
  test('requests without credentials are challenged, never counted', async () => {
    for (let i = 0; i < 12; i++) expect((await api()).status).toBe(401);
    expect((await api(basic('kim', KIM_PASSWORD))).status).toBe(200);
  });

  test('after 5 wrong passwords for a user, that user gets 429 with Retry-After (even with the right password, even from another address) until the back-off ends', async () => {
    for (let i = 0; i < 5; i++) expect((await api(basic('kim', `wrong ${i} password`))).status).toBe(401);
    const throttled = await api(basic('kim', KIM_PASSWORD));
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('60');
    expect(JSON.parse(throttled.body)).toMatchObject({ error: { code: 'too-many-attempts' } });
    // Another spelling of the same mailbox, another client address, and EWS are throttled too.
    expect((await api(basic('CONTOSO\\kim', KIM_PASSWORD), '127.0.0.2')).status).toBe(429);
    expect((await ews(basic('kim@contoso.com', KIM_PASSWORD))).status).toBe(429);
    // Other users are not.
    expect((await api(basic('lee', LEE_PASSWORD), '127.0.0.2')).status).toBe(200);

    clock.now += 30_000;
    expect((await api(basic('kim', KIM_PASSWORD), '127.0.0.3')).headers['retry-after']).toBe('30');
    clock.now += 30_000;
    expect((await api(basic('kim', KIM_PASSWORD), '127.0.0.3')).status).toBe(200);
  });

  test('after 5 failures from one address (any user names, tokens), that address gets 429; others do not', async () => {
    const from = '127.0.0.4';
    const attempts = [basic('nobody1', 'x'), basic('nobody2', 'x'), `Bearer openum_${'B'.repeat(43)}`, basic('lee', 'wrong'), basic('kim', 'wrong')];
    for (const authorization of attempts) expect((await api(authorization, from)).status).toBe(401);
    const blocked = await api(basic('lee', LEE_PASSWORD), from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api(basic('lee', LEE_PASSWORD), '127.0.0.5')).status).toBe(200);
    // The address's block does not stop an unauthenticated probe from getting its challenge.
    expect((await api(undefined, from)).status).toBe(401);
    clock.now += 60_000;
    expect((await api(basic('lee', LEE_PASSWORD), from)).status).toBe(200);
  });

  test('a success clears the user\'s count', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await api(basic('lee', 'wrong password'), `127.0.1.${round}`)).status).toBe(401);
      expect((await api(basic('lee', LEE_PASSWORD), `127.0.1.${round}`)).status).toBe(200);
    }
  });
});
