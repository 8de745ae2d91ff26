import Fastify from 'fastify';
import { registerAutodiscover } from '../../../src/http/autodiscover/index.js';
import type { InMemoryUmBackend } from './in-memory-um-backend.js';
import { basicAuthenticate, listen } from './ews-test-kit.js';
import type { TestServer } from './ews-test-kit.js';

/** A listening app with Autodiscover; authenticated unless `open`. */
export async function autodiscoverServer(backend: InMemoryUmBackend, open = false): Promise<TestServer> {
  const app = Fastify({ logger: false });
  registerAutodiscover(app, open ? { backend } : { backend, authenticate: basicAuthenticate(backend) });
  return listen(app);
}
