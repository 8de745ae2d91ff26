// JSON API surface: every registered route is in the OpenAPI document (and back), the document is public,
// everything else needs credentials (401 with challenges), unknown routes answer in the API's error shape.
import Fastify from 'fastify';
import { AuthenticationThrottledError } from '../../../src/http/auth/index.js';
import { OPENAPI_DOCUMENT, registerJsonApi } from '../../../src/http/api/index.js';
import { listen, servedBackend } from './ews-test-kit.js';
import { jsonApiServer, request, stubCheckDial } from './json-api-test-kit.js';


const fixture = servedBackend((backend) => jsonApiServer(backend));

describe('OpenAPI description', () => {
  test('documents exactly the routes registered under /api/v1 (HEAD aside)', async () => {
    const app = Fastify({ logger: false });
    const registered: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
    });
    registerJsonApi(app, { backend: fixture.backend, authenticate: async () => 'kim', checkDial: stubCheckDial });
    await app.ready();
    await app.close();

    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} /api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(registered.length).toBeGreaterThanOrEqual(8);
    expect(new Set(registered)).toEqual(new Set(documented));
  });

  test('is served without credentials as OpenAPI 3.1 JSON', async () => {
    const r = await request(fixture.server, 'GET', '/api/v1/openapi.json', { alias: null });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/api/v1' }] });
    expect(Object.keys((r.json as { paths: object }).paths)).toContain('/play-on-phone');
  });

  test('every $ref points at a schema that exists', () => {
    const refs = [...JSON.stringify(OPENAPI_DOCUMENT).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(Object.keys(OPENAPI_DOCUMENT.components.schemas)).toContain(ref);
  });
});

describe('authentication of the JSON API', () => {
  test.each([
    ['GET', '/api/v1/messages'],
    ['GET', '/api/v1/messages/0b6f1c9e-0000-4000-8000-000000000001'],
    ['GET', '/api/v1/messages/0b6f1c9e-0000-4000-8000-000000000001/audio'],
    ['POST', '/api/v1/play-on-phone'],
    ['GET', '/api/v1/phone-calls/call-1'],
    ['DELETE', '/api/v1/phone-calls/call-1'],
    ['POST', '/api/v1/check-dial'],
  ])('%s %s without credentials is 401 with Basic and Bearer challenges', async (method, url) => {
    const r = await request(fixture.server, method, url, { alias: null, ...(method === 'POST' ? { body: { messageId: 'x', dialString: '1' } } : {}) });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/Basic realm="openum"/);
    expect(r.headers.get('www-authenticate')).toMatch(/Bearer realm="openum"/);
    expect(r.json).toMatchObject({ error: { code: 'unauthorized' } });
  });

  test('wrong credentials are 401 and reveal nothing', async () => {
    const r = await request(fixture.server, 'GET', '/api/v1/messages', { authorization: `Basic ${Buffer.from('kim:wrong').toString('base64')}` });
    expect(r.status).toBe(401);
    expect(r.text).not.toContain('0b6f1c9e');
  });

  test('an authenticate that throws AuthenticationThrottledError gets 429 with Retry-After', async () => {
    const app = Fastify({ logger: false });
    registerJsonApi(app, { backend: fixture.backend, authenticate: async () => { throw new AuthenticationThrottledError(42); }, checkDial: stubCheckDial });
    const throttled = await listen(app);
    try {
      const r = await request(throttled, 'GET', '/api/v1/messages');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('42');
      expect(r.json).toMatchObject({ error: { code: 'too-many-attempts' } });
    } finally {
      await throttled.close();
    }
  });

  test('an unknown route under /api/v1 is a JSON 404', async () => {
    const r = await request(fixture.server, 'GET', '/api/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { code: 'not-found' } });
  });
});
