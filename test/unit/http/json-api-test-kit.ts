import Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import { registerJsonApi } from '../../../src/http/api/index.js';
import type { InMemoryUmBackend } from './in-memory-um-backend.js';
import { basic, basicAuthenticate, listen } from './ews-test-kit.js';
import type { TestServer } from './ews-test-kit.js';

export { basic };

/** The decisions the stub check-dial made, newest last. */
export const checkDialCalls: Array<{ alias: string; dialString: string }> = [];

/** A stand-in for authorizeSubjectDial: allows +1 numbers, leaves optional fields undefined like the real one. */
export function stubCheckDial(alias: string, dialString: string): unknown {
  checkDialCalls.push({ alias, dialString });
  const allowed = dialString.startsWith('+1');
  return { dialString, allowed, category: allowed ? 'national' : undefined, dialed: allowed ? `9${dialString.slice(2)}` : undefined, reason: allowed ? undefined : 'not-allowed', trace: [] };
}

/** A listening app with the JSON API over `backend`; Basic with password = alias reversed unless `authenticate` is given. */
export async function jsonApiServer(backend: InMemoryUmBackend, authenticate: (request: FastifyRequest) => Promise<string | undefined> = basicAuthenticate(backend)): Promise<TestServer> {
  const app = Fastify({ logger: false });
  registerJsonApi(app, { backend, authenticate, checkDial: stubCheckDial });
  return listen(app);
}

/** One HTTP exchange; `body` objects are sent as JSON. */
export async function request(
  server: TestServer,
  method: string,
  url: string,
  options: { alias?: string | null; authorization?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown; bytes: Buffer }> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? (options.alias === null ? undefined : basic(options.alias ?? 'kim'));
  if (authorization !== undefined) headers.authorization = authorization;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${server.origin}${url}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, bytes };
}
