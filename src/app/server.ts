import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CallTarget } from '../directory/index.js';
import type { OpenumConfiguration } from '../config/index.js';
import { Directory } from '../directory/index.js';
import { CallSession, callerIdentity } from '../calls/index.js';
import type { CallApplication, CallerIdentity, CallMediaContext, OutboundCallTracker, RoutedTarget } from '../calls/index.js';
import { startOpsServer } from '../http/index.js';
import type { HealthReport, OpsServer } from '../http/index.js';
import { LocalMediaEngine, PortPool, PortsExhaustedError, SdpInvalidError, WavCache, WorkerMediaEngine } from '../media/index.js';
import type { CallMedia, MediaEngine } from '../media/index.js';
import { GatewayTable, routeIncomingCall, SipEndpoint } from '../sip/index.js';
import type { AddressLookup, IncomingCall, IncomingSubscription, ListenOptions, OutboundRequestOptions, OutboundRequestResult, TransportProtocol } from '../sip/index.js';
import { parseListenAddress } from './listen-address.js';
import { raiseMainThread } from './main-thread-priority.js';
import type { MainThreadScheduling } from './main-thread-priority.js';
import { PlainHttpRefusedError } from './app-errors.js';
import { ServerMetrics } from './metrics.js';
import type { RtpTotals } from './metrics.js';

/** Options of {@link OpenumServer.start}. */
export interface OpenumServerOptions {
  logger: Logger;
  /** Applications by target kind; a kind without one is answered 480 (not built yet). */
  applications: Partial<Record<CallTarget['kind'] | 'test', CallApplication>>;
  /** The prompt cache shared by every call's player. */
  prompts?: WavCache;
  /** Host name resolution for gateway addresses (tests inject one). */
  resolveGatewayAddress?: AddressLookup;
  /** How often gateway host names are resolved again, ms. Default 60 s. */
  gatewayRefreshMs?: number;
  /** Override Server.Sip.Listen / Server.Http.Listen ports, e.g. with 0 in tests. */
  listenOverride?: { sip?: ListenOptions[]; http?: { host: string; port: number } };
  /** The Prometheus registry /metrics serves; other services of the node register on it too. */
  metricsRegistry?: Registry;
  /**
   * Adds routes (EWS, Autodiscover, JSON API) to the HTTP endpoint before it listens; SIP and media are
   * up by then, so outbound calls can be set up here.
   */
  registerHttp?: (app: FastifyInstance, server: OpenumServer) => Promise<void> | void;
  /** Runs at the start of close() (also after a drain), while SIP is still up: outbound calls and subscriptions end cleanly. */
  beforeClose?: () => Promise<void>;
  /** SUBSCRIBEs that passed admission (a configured gateway), with that gateway's dial plans. */
  onSubscription?: (subscription: IncomingSubscription, gatewayDialPlans: readonly string[]) => void;
}

type ServerState = 'serving' | 'draining' | 'stopped';

/** How often gateway host names are resolved again. */
const GATEWAY_REFRESH_MS = 60_000;

/** How long close() waits for call applications to finish (saving a recording takes well under this). */
const CLOSE_WAIT_MS = 10_000;

/**
 * The wiring of one openum node: directory and gateway table from the configuration, the shared media
 * clock and port pool, the SIP endpoint with admission and routing, and the HTTP operations endpoint.
 * Start order store → SIP → HTTP; stop in reverse after draining calls.
 */
export class OpenumServer {
  private state: ServerState = 'serving';
  private readonly active = new Set<CallSession>();
  private readonly pending = new Set<IncomingCall>();
  /** Outbound (Play on Phone) calls: reserved places, and the media sessions of those answered. */
  private outboundReserved = 0;
  private readonly outboundSessions = new Set<CallSession>();
  /** Every call being handled, so close() can wait for messages still being saved. */
  private readonly runs = new Set<Promise<void>>();
  private readonly metrics: ServerMetrics;
  /** Media of every call until its final counters are in (they come from a media thread after the hang-up). */
  private readonly liveMedia = new Set<CallMedia>();
  private sip!: SipEndpoint;
  private gatewayRefresh: NodeJS.Timeout | undefined;
  private http!: OpsServer;
  private httpTls = false;
  private mainThread!: MainThreadScheduling;

  private constructor(
    readonly configuration: OpenumConfiguration,
    private readonly directory: Directory,
    private gateways: GatewayTable,
    private readonly media: CallMediaContext,
    private readonly options: OpenumServerOptions,
  ) {
    this.metrics = new ServerMetrics(() => this.activeCalls, () => this.liveRtp(), options.metricsRegistry);
  }

  /** Starts a node from a validated configuration. */
  static async start(configuration: OpenumConfiguration, options: OpenumServerOptions): Promise<OpenumServer> {
    // First: the media threads started below inherit it (and then set their own).
    const mainThread = raiseMainThread(configuration.Server.MainThreadPriority, options.logger);
    try {
      const server = await OpenumServer.startRaised(configuration, options, mainThread.baseline);
      server.mainThread = mainThread;
      return server;
    } catch (error) {
      mainThread.restore();
      throw error;
    }
  }

  private static async startRaised(configuration: OpenumConfiguration, options: OpenumServerOptions, processNice: number | undefined): Promise<OpenumServer> {
    const logger = options.logger;
    const directory = new Directory(configuration);
    const gateways = await GatewayTable.fromConfiguration(configuration, options.resolveGatewayAddress);
    for (const name of gateways.unresolved) logger.warn({ gateway: name }, 'UM IP gateway address does not resolve; its calls will get 403');
    const rtp = configuration.Server.Rtp;
    const media: CallMediaContext = {
      engine: await startMediaEngine(configuration, options.prompts ?? new WavCache(), logger.child({ module: 'media' }), processNice),
      address: rtp.Address,
      inactivityTimeoutMs: configuration.Server.RtpInactivityTimeout * 1000,
      logger: logger.child({ module: 'calls' }),
    };
    const server = new OpenumServer(configuration, directory, gateways, media, options);
    const sipServer = configuration.Server.Sip;
    const listen = options.listenOverride?.sip ?? sipServer.Listen.map((l) => {
      const p = parseListenAddress(l);
      return { protocol: p.protocol as TransportProtocol, host: p.host, port: p.port };
    });
    try {
      const tls = sipServer.TlsCertificate && sipServer.TlsKey ? { cert: readFileSync(sipServer.TlsCertificate), key: readFileSync(sipServer.TlsKey) } : undefined;
      server.sip = await SipEndpoint.start({
        listen,
        ...(tls ? { tls } : {}),
        logger: logger.child({ module: 'sip' }),
        resolveTarget: () => true, // routing (403/404) happens in onIncomingCall, after admission
        onIncomingCall: (call) => server.onIncomingCall(call),
        ...(options.onSubscription ? { onSubscription: (subscription: IncomingSubscription) => server.onSubscription(subscription) } : {}),
      });
    } catch (error) {
      // The media threads would keep the process alive after a failed start.
      await media.engine.close();
      throw error;
    }
    try {
      const http = options.listenOverride?.http ?? parseListenAddress(configuration.Server.Http.Listen);
      const settings = configuration.Server.Http;
      const httpTls = settings.TlsCertificate && settings.TlsKey ? { cert: readFileSync(settings.TlsCertificate), key: readFileSync(settings.TlsKey) } : undefined;
      if (!httpTls && !settings.AllowPlainHttp && !isLoopback(http.host)) throw new PlainHttpRefusedError(`${http.host}:${http.port}`);
      server.httpTls = httpTls !== undefined;
      server.http = await startOpsServer({
        host: http.host,
        port: http.port,
        registry: server.metrics.registry,
        health: () => server.health(),
        logger,
        ...(httpTls ? { tls: httpTls } : {}),
        ...(options.registerHttp ? { register: (app: FastifyInstance) => options.registerHttp!(app, server) } : {}),
      });
    } catch (error) {
      server.sip.close();
      await media.engine.close();
      throw error;
    }
    if (configuration.UMIPGateways.some((g) => isIP(g.Address) === 0)) {
      // Gateways named by host: follow DNS changes without a restart.
      server.gatewayRefresh = setInterval(() => {
        GatewayTable.fromConfiguration(configuration, options.resolveGatewayAddress)
          .then((table) => {
            server.gateways = table;
          })
          .catch((error: unknown) => logger.warn({ err: error }, 'gateway addresses could not be refreshed'));
      }, options.gatewayRefreshMs ?? GATEWAY_REFRESH_MS).unref();
    }
    logger.info({ sip: server.sip.listeners.map((l) => `${l.protocol}:${l.address}:${l.port}`), http: server.http.port }, 'openum serving');
    return server;
  }

  /** Bound SIP listeners (ports resolved). */
  get sipListeners() {
    return this.sip.listeners;
  }

  /** Bound HTTP port. */
  get httpPort(): number {
    return this.http.port;
  }

  /** Where clients reach the HTTP endpoint: `Server.Http.PublicUrl`, else built from the listener. */
  httpBaseUrl(listen: { host: string; port: number }): string {
    const configured = this.configuration.Server.Http.PublicUrl;
    if (configured) return configured;
    const host = listen.host === '0.0.0.0' || listen.host === '::' ? this.configuration.Server.Domain : listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    return `${this.httpTls ? 'https' : 'http'}://${host}:${listen.port}`;
  }

  /**
   * What outbound calls (Play on Phone) need: the SIP endpoint, the shared media context, and the
   * tracker that counts them with the inbound calls (MaxCallsAllowed, drain, /metrics).
   */
  get outbound(): { sip: SipEndpoint; media: CallMediaContext; calls: OutboundCallTracker } {
    const calls: OutboundCallTracker = {
      reserve: () => {
        if (this.state !== 'serving' || this.activeCalls >= this.configuration.Server.MaxCallsAllowed) return false;
        this.outboundReserved++;
        return true;
      },
      started: (session) => {
        this.outboundSessions.add(session);
        this.countMedia(session.media);
      },
      release: (session) => {
        this.outboundReserved = Math.max(0, this.outboundReserved - 1);
        this.metrics.calls.inc({ result: session ? 'outbound-answered' : 'outbound-unanswered' });
        if (session) this.outboundSessions.delete(session);
      },
    };
    return { sip: this.sip, media: this.media, calls };
  }

  /** Calls in progress, both directions. */
  get activeCalls(): number {
    return this.active.size + this.pending.size + this.outboundReserved;
  }

  /** What /healthz reports. */
  health(): HealthReport {
    return { ok: this.state === 'serving', state: this.state, activeCalls: this.activeCalls, maxCalls: this.configuration.Server.MaxCallsAllowed, clock: this.media.engine.clockStats, mediaThreads: this.media.engine.threads, mainThreadPriority: this.mainThread.applied };
  }

  private liveRtp(): RtpTotals {
    const t: RtpTotals = { packetsIn: 0, packetsOut: 0, packetsLost: 0 };
    for (const media of this.liveMedia) {
      const st = media.stats;
      t.packetsIn += st.packetsIn;
      t.packetsOut += st.packetsOut;
      t.packetsLost += st.packetsLost;
    }
    return t;
  }

  /** Sends an out-of-dialog request (unsolicited MWI NOTIFY) through the SIP endpoint. */
  sendRequest(options: OutboundRequestOptions): Promise<OutboundRequestResult> {
    return this.sip.sendRequest(options);
  }

  private onSubscription(subscription: IncomingSubscription): void {
    // The same admission as calls: only configured, enabled gateways may send requests in (spec §3.1).
    const gateway = this.gateways.findBySource(subscription.source.address);
    if (!gateway || gateway.Status !== 'Enabled') {
      this.options.logger.info({ callId: subscription.callId, source: subscription.source.address }, 'SUBSCRIBE from a source that is no enabled UM IP gateway: 403');
      subscription.reject(403);
      return;
    }
    if (this.state !== 'serving') {
      subscription.reject(503, { headers: { 'Retry-After': '30' } });
      return;
    }
    this.options.onSubscription?.(subscription, gateway.UMDialPlans);
  }

  private reject(call: IncomingCall, statusCode: number, reasonPhrase: string, result: string, why: string, headers?: Record<string, string>): void {
    // A peer's 4xx is its business (info); only our own failures are errors.
    this.options.logger.info({ callId: call.callId, from: call.from.uri, to: call.requestUri.uri, source: call.source.address, statusCode }, why);
    call.reject(statusCode, headers ? { reasonPhrase, headers } : { reasonPhrase });
    this.metrics.calls.inc({ result });
  }

  private onIncomingCall(call: IncomingCall): void {
    // A source that is no gateway is refused outright (403), never invited to retry by a 503.
    if (!this.gateways.findBySource(call.source.address)) return this.reject(call, 403, 'Forbidden', 'rejected-403', `source ${call.source.address} is not a configured UM IP gateway`);
    if (this.state !== 'serving') return this.reject(call, 503, 'Service Unavailable', 'rejected-503', 'shutting down', { 'Retry-After': '30' });
    if (this.activeCalls >= this.configuration.Server.MaxCallsAllowed) {
      return this.reject(call, 503, 'Service Unavailable', 'rejected-503', 'MaxCallsAllowed reached', { 'Retry-After': '5' });
    }
    const decision = routeIncomingCall(call, { directory: this.directory, gateways: this.gateways, ...(this.configuration.Server.TestExtension ? { testExtension: this.configuration.Server.TestExtension } : {}) });
    if (decision.kind === 'reject') return this.reject(call, decision.statusCode, decision.reasonPhrase, `rejected-${decision.statusCode}`, decision.why);
    const application = this.options.applications[decision.target.kind];
    if (!application) return this.reject(call, 480, 'Temporarily Unavailable', 'rejected-480', `no application for ${decision.target.kind} calls in this build`);
    this.pending.add(call);
    const run = this.run(call, decision.target, application).catch((error: unknown) => this.options.logger.error({ err: error, callId: call.callId }, 'call handling failed'));
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
  }

  private async run(call: IncomingCall, target: RoutedTarget, application: CallApplication): Promise<void> {
    let session: CallSession | undefined;
    let caller: CallerIdentity;
    try {
      caller = callerIdentity(call);
      const ringMs = typeof application.ringMs === 'function' ? application.ringMs(call.requestUri.params) : application.ringMs ?? 0;
      if (ringMs > 0) {
        call.progress(180);
        let ring: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          ring = setTimeout(resolve, ringMs);
          call.onCancel(resolve);
        });
        clearTimeout(ring);
        if (call.cancelled) throw new Error('caller cancelled while ringing');
      }
      session = await CallSession.answer(call, this.media);
      this.countMedia(session.media);
    } catch (error) {
      this.pending.delete(call);
      this.metrics.calls.inc({ result: 'failed-answer' });
      // Every INVITE gets a final answer: no RTP port is our capacity (503), a bad offer the peer's
      // fault (400), anything else ours (500). Ignored when one was already sent (488, 487, 200).
      const status = error instanceof PortsExhaustedError || (error as { cause?: unknown }).cause instanceof PortsExhaustedError ? 503
        : error instanceof SdpInvalidError || (error as { cause?: unknown }).cause instanceof SdpInvalidError ? 400 : 500;
      call.reject(status, status === 503 ? { headers: { 'Retry-After': '5' } } : {});
      this.options.logger.info({ err: error, callId: call.callId, statusCode: status }, 'call not answered');
      return;
    }
    if (this.state === 'stopped') {
      await session.hangup('closed');
      return;
    }
    this.pending.delete(call);
    this.active.add(session);
    this.metrics.calls.inc({ result: 'answered' });
    const maxCall = setTimeout(() => void session.hangup('max-call-duration'), this.maxCallMs(target));
    try {
      await application.run(session, target, { caller });
    } catch (error) {
      session.logger.error({ err: error }, 'call application failed');
    } finally {
      clearTimeout(maxCall);
      await session.hangup('local');
      this.active.delete(session);
    }
  }

  /** The whole call is capped at the dial plan's MaxCallDuration (minutes). */
  private maxCallMs(target: RoutedTarget): number {
    const minutes = target.kind === 'test' ? 30 : target.dialPlan.MaxCallDuration;
    return minutes * 60_000;
  }

  /**
   * Stops accepting calls (503), waits up to `graceMs` for active calls to finish, then hangs up the rest
   * and closes everything.
   */
  async drain(graceMs: number): Promise<void> {
    if (this.state !== 'serving') return;
    this.state = 'draining';
    this.options.logger.info({ activeCalls: this.activeCalls, graceMs }, 'draining');
    const deadline = Date.now() + graceMs;
    while (this.activeCalls > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await this.close();
  }

  /** Hangs up every call and closes SIP, HTTP and media; idempotent. */
  async close(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.options.beforeClose?.().catch((error: unknown) => this.options.logger.warn({ err: error }, 'closing outbound calls and subscriptions failed'));
    clearInterval(this.gatewayRefresh);
    for (const call of this.pending) call.reject(503, { headers: { 'Retry-After': '30' } });
    await Promise.all([...this.active].map((s) => s.hangup('closed')));
    // Applications finish saving what they recorded before the store underneath them closes.
    let limit: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.runs]), new Promise((resolve) => (limit = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(limit);
    try {
      await this.http.close();
      this.sip.close();
      await this.media.engine.close();
    } finally {
      this.mainThread.restore();
    }
  }

  /** Counts a call's RTP in the live totals until its final counters move to the finished ones. */
  private countMedia(media: CallMedia): void {
    this.liveMedia.add(media);
    void media.closed.then((stats) => {
      this.liveMedia.delete(media);
      this.metrics.addFinished(stats);
    });
  }
}

/**
 * Media threads per `Server.Rtp.MediaThreads` (absent: one per CPU, at most 4); 0 keeps media in this
 * thread. The port pool stays here: ports are handed to the threads.
 */
async function startMediaEngine(configuration: OpenumConfiguration, prompts: WavCache, logger: Logger, processNice: number | undefined): Promise<MediaEngine> {
  const rtp = configuration.Server.Rtp;
  const pool = new PortPool({ min: rtp.PortMin, max: rtp.PortMax });
  const threads = rtp.MediaThreads ?? Math.min(4, availableParallelism());
  if (threads === 0) return new LocalMediaEngine({ pool, prompts, onTickError: (error) => logger.error({ err: error }, 'media tick failed') });
  const normalNice = processNice === undefined ? {} : { normalNice: processNice };
  return WorkerMediaEngine.start({ threads, pool, prompts, logger, priority: rtp.MediaThreadPriority, ...normalNice });
}

/** 127.0.0.0/8, ::1 and localhost: where plain HTTP cannot be overheard. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
