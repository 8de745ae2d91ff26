import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerEws } from '../../../src/http/ews/index.js';
import { childElement, parseXml } from '../../../src/http/xml/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import { InMemoryUmBackend } from './in-memory-um-backend.js';

export const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
export const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const T = 'http://schemas.microsoft.com/exchange/services/2006/types';

/** Basic credentials of the test users: password = alias reversed. */
export function basic(alias: string, password = [...alias].reverse().join('')): string {
  return `Basic ${Buffer.from(`${alias}:${password}`).toString('base64')}`;
}

/** The test's authenticate: Basic with password = alias reversed, for users the backend knows. */
export function basicAuthenticate(backend: InMemoryUmBackend): (request: FastifyRequest) => Promise<string | undefined> {
  return async (request) => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const [alias = '', password = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    const user = backend.findUserByAlias(alias);
    return user !== undefined && password === [...alias].reverse().join('') ? user.alias : undefined;
  };
}

/** A backend with kim (two messages) and lee (one), audio on disk. */
export async function populatedBackend(): Promise<InMemoryUmBackend> {
  const backend = new InMemoryUmBackend();
  await backend.open();
  backend.addUser('kim', 'Kim Akers', 'kim@contoso.com');
  backend.addUser('lee', 'Lee Hu', 'lee@contoso.com');
  await backend.addMessage('kim', { id: '0b6f1c9e-0000-4000-8000-000000000001', receivedAt: new Date('2026-11-25T10:30:00Z'), subject: 'Voice Mail from Lee Hu (12 seconds)' }, Buffer.from('older audio'));
  await backend.addMessage('kim', { id: '0b6f1c9e-0000-4000-8000-000000000002', receivedAt: new Date('2026-11-26T08:00:00Z'), caller: null, callerName: null, read: true, subject: 'Voice Mail from Anonymous (3 seconds)' }, Buffer.from('newer audio'));
  await backend.addMessage('lee', { id: '0b6f1c9e-0000-4000-8000-0000000000ee', receivedAt: new Date('2026-11-27T08:00:00Z'), subject: 'For Lee only' }, Buffer.from('lee audio'));
  return backend;
}

/** The populated backend and a server over it, made before the file's tests and closed after. */
export interface ServedBackend {
  backend: InMemoryUmBackend;
  server: TestServer;
}

/** Registers beforeAll/afterAll that populate a backend and serve it with `start`. */
export function servedBackend(start: (backend: InMemoryUmBackend) => Promise<TestServer>): ServedBackend {
  const fixture = {} as ServedBackend;
  beforeAll(async () => {
    fixture.backend = await populatedBackend();
    fixture.server = await start(fixture.backend);
  });
  afterAll(async () => {
    await fixture.server?.close();
    await fixture.backend?.close();
  });
  return fixture;
}

/** An app under test, listening on 127.0.0.1 at an ephemeral port. */
export interface TestServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0 rather than using `app.inject()`: under Jest's CommonJS loader, light-my-request
 * cannot `require()` its ESM-only `cookie@2` dependency, so inject() throws before reaching the app.
 */
export async function listen(app: FastifyInstance): Promise<TestServer> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return { app, origin: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** A listening fastify app with EWS on it. */
export async function ewsServer(backend: InMemoryUmBackend): Promise<TestServer> {
  const app = Fastify({ logger: false });
  registerEws(app, { backend, authenticate: basicAuthenticate(backend) });
  return listen(app);
}

/** A raw HTTP exchange with the test server. */
export async function post(server: TestServer, url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${server.origin}${url}`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A SOAP 1.1 request with the usual m:/t: prefixes around `operation`. */
export function soap(operation: string, header = '<t:RequestServerVersion Version="Exchange2010_SP1"/>'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="${SOAP}" xmlns:m="${M}" xmlns:t="${T}">
  <soap:Header>${header}</soap:Header>
  <soap:Body>${operation}</soap:Body>
</soap:Envelope>`;
}

/** POSTs to EWS as `alias` and returns status, raw body and the parsed Body's first element. */
export async function callEws(server: TestServer, body: string, alias = 'kim', url = '/EWS/Exchange.asmx'): Promise<{ status: number; raw: string; envelope: XmlElement; response: XmlElement }> {
  const reply = await post(server, url, body, { authorization: basic(alias) });
  const envelope = parseXml(reply.body);
  const soapBody = childElement(envelope, SOAP, 'Body');
  const response = soapBody?.children[0];
  if (response === undefined) throw new Error(`no SOAP body in ${reply.body}`);
  return { status: reply.status, raw: reply.body, envelope, response };
}

/** Descends by local names in the EWS namespaces (m: then t:), failing the test when a step is missing. */
export function path(start: XmlElement, ...names: string[]): XmlElement {
  let current = start;
  for (const name of names) {
    const next = childElement(current, M, name) ?? childElement(current, T, name);
    if (next === undefined) throw new Error(`no ${name} under ${current.localName}`);
    current = next;
  }
  return current;
}

/** Every child element with this local name (either EWS namespace). */
export function all(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((child) => child.localName === name && (child.namespace === M || child.namespace === T));
}
