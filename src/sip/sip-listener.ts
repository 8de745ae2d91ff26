import type { Logger } from 'pino';
import {
  Grammar, IncomingRequestMessage, IncomingResponseMessage, InviteServerTransaction, Parser, TransactionState, UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { Logger as SipJsLogger, Transport, URI, UserAgentCoreDelegate } from 'sip.js/lib/core/index.js';
import { canStillReject, wrapApplicationDelegate } from './core/application-delegate.js';
import { createCoreConfiguration } from './core/core-configuration.js';
import { disposeCore } from './core/dispose-core.js';
import type { TargetResolver } from './core/core-configuration.js';
import { createPinoLoggerFactory } from './core/pino-logger-factory.js';
import { inspectRequest } from './core/request-policy.js';
import type { RequestPolicyOptions } from './core/request-policy.js';
import { SipTransportError } from './errors.js';
import { headerValues, splitHeaderList } from './messages/raw-message.js';
import { summarize } from './messages/message-summary.js';
import type { MessageSummary } from './messages/message-summary.js';
import { buildStatelessResponse } from './messages/stateless-response.js';
import { rewriteTelUris } from './messages/tel-uri-rewrite.js';
import { stampVia } from './messages/via-stamp.js';
import type { SipTimerSettings } from './timers/sip-timer-settings.js';
import type { TimerScheduler } from './timers/timer-scheduler.js';
import { UdpRetransmission } from './transactions/udp-retransmission.js';
import { resolveRequestDestination, responseDestination } from './transport/destination.js';
import type { HostResolver } from './transport/destination.js';
import { StreamTransport } from './transport/stream-transport.js';
import { UdpTransport } from './transport/udp-transport.js';
import type { Destination, ListenOptions, SipTransport, SocketAddress, TlsMaterial } from './transport/transport-types.js';

/** Everything one listener needs; built by `SipEndpoint` from its options. */
export interface SipListenerOptions {
  /** The socket to open. */
  listen: ListenOptions;
  /** TLS material (required for `tls`). */
  tls: TlsMaterial | undefined;
  /** Logger. */
  logger: Logger;
  /** The application's delegate, or a factory that builds one for this listener (the call facade's). */
  delegate: UserAgentCoreDelegate | ((listener: SipListener) => UserAgentCoreDelegate);
  /** Which Request-URIs openum serves. */
  resolveTarget: TargetResolver;
  /** Clock for the retransmission timers. */
  timers: TimerScheduler;
  /** T1/T2/T4. */
  timerSettings: SipTimerSettings;
  /** Allowed methods, supported option tags, accepted bodies. */
  policy: RequestPolicyOptions;
  /** Largest accepted message, bytes. */
  maxMessageSize: number;
  /** Stamp `rport=` on UDP even when the client did not ask (RFC 3581 makes it opt-in). */
  forceRport: boolean;
  /** Host to put in Via/Contact (default: the bound address). */
  advertisedHost: string | undefined;
  /** User part of our Contact URI. */
  contactUser: string;
  /** User-Agent/Server header value. */
  userAgent: string | undefined;
  /** DNS for request next hops. */
  hostResolver: HostResolver;
}

interface InFlight {
  branch: string;
  finalSent: boolean;
}

/**
 * One transport and its own SIP.js `UserAgentCore` (the core's transport protocol is one string), with
 * the glue between them: Via stamping, tel: rewriting, guarded parsing, the request policy, UDP
 * retransmission, CANCEL → 487, and 400 for anything the core chokes on.
 */
export class SipListener {
  /** The SIP.js core; use it to send requests (`core.invite(…)`, `core.request(…)`). */
  readonly core: UserAgentCore;
  private transport!: SipTransport;
  private retransmission: UdpRetransmission | undefined;
  private readonly logger: Logger;
  private readonly sipLogger: SipJsLogger;
  private currentRequestUri: URI | undefined;
  private currentSource: SocketAddress | undefined;
  private inFlight: InFlight | undefined;
  private advertisedHost = '';
  private closed = false;

  private constructor(private readonly options: SipListenerOptions) {
    this.logger = options.logger.child({ transport: options.listen.protocol });
    const loggerFactory = createPinoLoggerFactory(this.logger);
    this.sipLogger = loggerFactory.getLogger('openum.sip.parser');
    const coreTransport: Transport = {
      protocol: options.listen.protocol.toUpperCase(),
      send: (message: string) => this.sendFromCore(message),
    };
    // Via host and Contact are only known once bound: bindIdentity() fills them in. The configuration
    // object must be passed as is, not spread, or the `aor` getter would be frozen into a value.
    this.core = new UserAgentCore(
      createCoreConfiguration({
        contactUri: Grammar.URIParse('sip:openum@invalid') as URI,
        viaHost: 'invalid',
        loggerFactory,
        userAgent: options.userAgent,
        supportedOptionTags: options.policy.supportedOptionTags,
        transport: coreTransport,
        currentRequestUri: () => this.currentRequestUri,
        resolveTarget: options.resolveTarget,
      }),
      wrapApplicationDelegate(typeof options.delegate === 'function' ? options.delegate(this) : options.delegate, this.logger),
    );
  }

  /** Open the socket and build the core. */
  static async start(options: SipListenerOptions): Promise<SipListener> {
    const listener = new SipListener(options);
    const onMessage = (data: Buffer, source: SocketAddress): void => listener.onInbound(data, source);
    const transportOptions = { ...options.listen, maxMessageSize: options.maxMessageSize, logger: listener.logger };
    listener.transport = options.listen.protocol === 'udp'
      ? await UdpTransport.listen(transportOptions, onMessage)
      : await StreamTransport.listen({ ...transportOptions, protocol: options.listen.protocol, ...(options.tls ? { tls: options.tls } : {}) }, onMessage);
    listener.bindIdentity();
    if (!listener.transport.reliable) {
      listener.retransmission = new UdpRetransmission({
        timers: options.timers,
        settings: options.timerSettings,
        logger: listener.logger,
        transmit: (destination, data) => listener.transmit(destination, data),
        requestTimedOut: (request) => listener.deliverTimeout(request),
      });
    }
    return listener;
  }

  /** Protocol of this listener. */
  get protocol(): ListenOptions['protocol'] {
    return this.options.listen.protocol;
  }

  /** The bound address. */
  get local(): SocketAddress {
    return this.transport.local;
  }

  /** Source of the request the core is dispatching right now; only set synchronously inside delegate calls. */
  get requestSource(): SocketAddress | undefined {
    return this.currentSource;
  }

  /** Our Contact URI on this listener. */
  get contactUri(): URI {
    return this.core.configuration.contact.uri;
  }

  /** Close the socket, stop every timer and dispose of the core. Synchronous and idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.retransmission?.close();
    this.transport.close();
    disposeCore(this.core, this.logger);
  }

  private bindIdentity(): void {
    const local = this.transport.local;
    const host = this.options.advertisedHost ?? local.address;
    this.advertisedHost = host;
    const hostText = host.includes(':') ? `[${host}]` : host;
    const transportParam = this.protocol === 'udp' ? '' : `;transport=${this.protocol}`;
    const scheme = this.protocol === 'tls' ? 'sips' : 'sip';
    const contact = Grammar.URIParse(`${scheme}:${this.options.contactUser}@${hostText}:${local.port}${transportParam}`);
    if (!contact) throw new SipTransportError(`cannot build a Contact URI for ${hostText}:${local.port}`);
    const configuration = this.core.configuration;
    configuration.viaHost = `${hostText}:${local.port}`;
    configuration.contact = { pubGruu: undefined, tempGruu: undefined, uri: contact, toString: () => `<${contact.toString()}>` };
  }

  private onInbound(data: Buffer, source: SocketAddress): void {
    if (this.closed) return;
    try {
      this.receive(data, source);
    } catch (error) {
      // Last line of defence: nothing a peer sends may take the process down.
      this.logger.error({ err: error, from: `${source.address}:${source.port}` }, 'unexpected failure handling an inbound message');
    }
  }

  private receive(data: Buffer, source: SocketAddress): void {
    const original = data.toString('utf8');
    if (original.trim().length === 0) return; // UDP keep-alive
    const first = summarize(original);
    if (!first) {
      this.logger.info({ from: `${source.address}:${source.port}`, bytes: data.length }, 'not a SIP message, dropped');
      return;
    }
    if (first.kind === 'response') {
      this.receiveResponse(original, first);
      return;
    }
    const text = rewriteTelUris(stampVia(original, source, this.options.forceRport || this.transport.reliable), this.advertisedHost);
    const summary = summarize(text) ?? first;
    const message = this.parse(text);
    const problem = message instanceof IncomingRequestMessage ? malformation(message, summary) : 'unparsable request';
    if (problem !== undefined || !(message instanceof IncomingRequestMessage)) {
      this.logger.info({ from: `${source.address}:${source.port}`, problem }, 'bad request');
      this.replyByHand(text, summary, source, 400, 'Bad Request');
      return;
    }
    if (this.retransmission?.receivedRequest(summary) === 'absorbed') return;
    const ruri = message.ruri as URI;
    const decision = inspectRequest({
      method: summary.method,
      required: headerValues(summary.raw, 'require').flatMap(splitHeaderList),
      inDialog: Boolean(message.toTag),
      targetExists: this.targetExists(ruri),
    }, this.options.policy);
    if (decision.kind === 'reply') {
      if (summary.method === 'ACK') return;
      this.guard(summary, text, source, () => {
        this.core.replyStateless(message, { statusCode: decision.statusCode, reasonPhrase: decision.reasonPhrase, extraHeaders: decision.extraHeaders });
      });
      return;
    }
    this.guard(summary, text, source, () => {
      this.currentRequestUri = ruri;
      this.currentSource = source;
      try {
        this.core.receiveIncomingRequestFromTransport(message);
      } finally {
        this.currentRequestUri = undefined;
        this.currentSource = undefined;
      }
    });
    if (summary.method === 'CANCEL') this.answerCancelledInvite(summary.branch);
  }

  private targetExists(ruri: URI): boolean {
    if (ruri.user === undefined || ruri.user === this.contactUri.user) return true;
    try {
      return this.options.resolveTarget(ruri);
    } catch (error) {
      this.logger.error({ err: error }, 'target resolver threw');
      return false;
    }
  }

  /** Run a call into the core; on an exception answer 400 if the request still has no final response. */
  private guard(summary: MessageSummary, text: string, source: SocketAddress, call: () => void): void {
    const inFlight: InFlight = { branch: summary.branch, finalSent: false };
    this.inFlight = inFlight;
    try {
      call();
    } catch (error) {
      this.logger.warn({ err: error, method: summary.method }, 'SIP core threw on a request');
      if (summary.method === 'ACK' || inFlight.finalSent) return;
      const uas = this.core.userAgentServers.get(summary.branch);
      if (uas) {
        try {
          if (canStillReject(uas)) uas.reject({ statusCode: 400 });
        } catch (rejectError) {
          this.logger.warn({ err: rejectError }, 'could not answer 400 through the core');
        }
        return;
      }
      this.replyByHand(text, summary, source, 400, 'Bad Request');
    } finally {
      this.inFlight = undefined;
    }
  }

  /** RFC 3261 §9.2: after the core's 200 to CANCEL, answer the INVITE 487 if it has no final response yet. */
  private answerCancelledInvite(branch: string): void {
    const uas = this.core.userAgentServers.get(branch);
    if (!uas || !(uas.transaction instanceof InviteServerTransaction) || uas.transaction.state !== TransactionState.Proceeding) return;
    try {
      uas.reject({ statusCode: 487 });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not answer 487 to a cancelled INVITE');
    }
  }

  private receiveResponse(text: string, summary: MessageSummary): void {
    const message = this.parse(text);
    if (!(message instanceof IncomingResponseMessage) || bodyProblem(message) !== undefined) {
      this.logger.info({ status: summary.statusCode }, 'unparsable response dropped');
      return;
    }
    if (this.retransmission?.receivedResponse(summary) === 'absorbed') return;
    try {
      this.core.receiveIncomingResponseFromTransport(message);
    } catch (error) {
      this.logger.warn({ err: error, status: summary.statusCode }, 'SIP core threw on a response; dropped');
    }
  }

  private parse(text: string): IncomingRequestMessage | IncomingResponseMessage | undefined {
    try {
      return Parser.parseMessage(text, this.sipLogger);
    } catch (error) {
      this.logger.debug({ err: error }, 'SIP parser threw');
      return undefined;
    }
  }

  private replyByHand(text: string, summary: MessageSummary, source: SocketAddress, statusCode: number, reasonPhrase: string): void {
    const response = buildStatelessResponse(text, { statusCode, reasonPhrase });
    if (response === undefined) return;
    const destination: Destination = summary.topVia
      ? responseDestination(summary.topVia, this.transport.reliable)
      : { ...source, connection: source };
    this.transmit(destination, response);
  }

  private transmit(destination: Destination, data: string): void {
    this.transport.send(destination, data).catch((error: unknown) => {
      this.logger.warn({ err: error, to: `${destination.address}:${destination.port}` }, 'send failed');
    });
  }

  /** Timer B/F fired: hand the core a 408 built from the request, as if the peer had sent it. */
  private deliverTimeout(request: string): void {
    const response = buildStatelessResponse(request, { statusCode: 408, reasonPhrase: 'Request Timeout' });
    const message = response === undefined ? undefined : this.parse(response);
    if (!(message instanceof IncomingResponseMessage)) return;
    try {
      this.core.receiveIncomingResponseFromTransport(message);
    } catch (error) {
      this.logger.warn({ err: error }, 'SIP core threw on a synthetic 408');
    }
  }

  /** The core's `Transport.send`: route by Via (responses) or Route/Request-URI (requests). */
  private sendFromCore(message: string): Promise<void> {
    if (this.closed) return Promise.reject(new SipTransportError('listener closed'));
    const summary = summarize(message);
    if (!summary) return Promise.reject(new SipTransportError('the SIP core produced an unparsable message'));
    if (summary.kind === 'response') {
      if (this.inFlight && summary.branch === this.inFlight.branch && summary.statusCode >= 200) this.inFlight.finalSent = true;
      if (!summary.topVia) return Promise.reject(new SipTransportError('response without a Via'));
      const destination = responseDestination(summary.topVia, this.transport.reliable);
      this.retransmission?.sendingResponse(summary, message, destination);
      return this.transport.send(destination, message);
    }
    return this.sendRequest(summary, message);
  }

  private async sendRequest(summary: MessageSummary, message: string): Promise<void> {
    const destination = await resolveRequestDestination(summary, this.options.hostResolver);
    if (this.retransmission?.sendingRequest(summary, message, destination) === 'drop') return;
    await this.transport.send(destination, message);
  }
}

/** Checks the core assumes but does not make (it throws or misbehaves instead); `undefined` when fine. */
function malformation(message: IncomingRequestMessage, summary: MessageSummary): string | undefined {
  if (!message.ruri) return 'no Request-URI';
  if (!message.via || !summary.topVia) return 'no parsable Via';
  if (!message.viaBranch) return 'no Via branch';
  if (!message.from) return 'no From';
  if (!message.to) return 'no To';
  if (!message.callId) return 'no Call-ID';
  if (!message.cseq && message.cseq !== 0) return 'no CSeq';
  const cseqMethod = /\s([A-Za-z]+)\s*$/.exec(message.getHeader('cseq') ?? '')?.[1];
  if (cseqMethod?.toUpperCase() !== summary.method) return 'CSeq method differs from the request method';
  // RFC 3261 §18.3: over UDP a Content-Length larger than the body is an error (streams are framed by it).
  const declared = message.getHeader('content-length');
  if (declared !== undefined && Number(declared) > Buffer.byteLength(summary.raw.body)) return 'Content-Length larger than the body';
  return bodyProblem(message);
}

/**
 * A body without Content-Type makes SIP.js's getBody() throw, and when that happens inside the
 * SessionDialog constructor the half-built dialog is left registered with live timers that later crash
 * the process from a timer callback. Refuse such messages before the core sees them.
 */
function bodyProblem(message: IncomingRequestMessage | IncomingResponseMessage): string | undefined {
  if (message.body && !message.hasHeader('content-type')) return 'body without Content-Type';
  return undefined;
}
