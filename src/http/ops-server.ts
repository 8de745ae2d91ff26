import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** What `/healthz` reports. `ok: false` answers 503 so load balancers take the node out. */
export interface HealthReport {
  ok: boolean;
  /** `serving`, `draining` (SIGTERM received), … */
  state: string;
  activeCalls: number;
  [detail: string]: unknown;
}

/** Options of {@link startOpsServer}. */
export interface OpsServerOptions {
  /** `host:port`; port 0 = ephemeral. */
  host: string;
  port: number;
  registry: Registry;
  health: () => HealthReport;
  logger: Logger;
  /** HTTPS: PEM certificate and key. */
  tls?: { cert: Buffer; key: Buffer };
  /** Registers further routes (EWS, Autodiscover, JSON API) before the server listens. */
  register?: (app: FastifyInstance) => Promise<void> | void;
}

/** A running operations endpoint. */
export interface OpsServer {
  /** The bound port. */
  port: number;
  /** The fastify instance, for other plugins (EWS, JSON API) to register on. */
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the HTTP endpoint: `/healthz` (JSON), `/metrics` (Prometheus text format) and what `register` adds. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const app = Fastify({
    loggerInstance: options.logger.child({ module: 'http' }),
    // openum logs what matters per request itself; fastify's per-request lines would drown the call logs.
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  app.get('/healthz', async (_request, reply) => {
    const report = options.health();
    return reply.code(report.ok ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });
  if (options.register) await options.register(app);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { port, app, close: () => app.close() };
}
