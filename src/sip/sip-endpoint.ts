import type { Logger } from 'pino';
import type { URI, UserAgentCore, UserAgentCoreDelegate } from 'sip.js/lib/core/index.js';
import type { TargetResolver } from './core/core-configuration.js';
import type { RequestPolicyOptions } from './core/request-policy.js';
import { SipClosedError, SipListenError } from './errors.js';
import { createCallFacadeDelegate } from './facade/call-facade-delegate.js';
import { CallRegistry } from './facade/call-registry.js';
import type { IncomingCall, OutboundCallOptions, SipDialog } from './facade/facade-types.js';
import type { IncomingSipRequest } from './facade/incoming-request.js';
import { OutboundCall } from './facade/outbound-call.js';
import { sendOutboundRequest } from './facade/outbound-request.js';
import type { OutboundRequestOptions, OutboundRequestResult } from './facade/outbound-request.js';
import type { IncomingSubscription } from './mwi/incoming-subscription.js';
import type { NotifierDialog } from './mwi/notifier-dialog.js';
import { SipListener } from './sip-listener.js';
import { DEFAULT_SIP_TIMERS } from './timers/sip-timer-settings.js';
import type { SipTimerSettings } from './timers/sip-timer-settings.js';
import { systemTimers } from './timers/timer-scheduler.js';
import type { TimerScheduler } from './timers/timer-scheduler.js';
import { systemHostResolver } from './transport/destination.js';
import type { HostResolver } from './transport/destination.js';
import type { ListenOptions, SocketAddress, TlsMaterial, TransportProtocol } from './transport/transport-types.js';

/** Options of {@link SipEndpoint.start}. Units: bytes and milliseconds. */
export interface SipEndpointOptions {
  /** Sockets to open; port 0 = ephemeral. */
  listen: ListenOptions[];
  /** Certificate and key for `tls` listeners. */
  tls?: TlsMaterial;
  /** pino logger (tests pass `pino({ level: 'silent' })`). */
  logger: Logger;
  /** The application: SIP.js core delegate shared by every transport (default: reject INVITEs 480). */
  delegate?: UserAgentCoreDelegate;
  /** The application, in facade types: each new INVITE as an {@link IncomingCall} (replaces `delegate.onInvite`). */
  onIncomingCall?: (call: IncomingCall) => void;
  /** Out-of-dialog NOTIFY/SUBSCRIBE/REFER/MESSAGE/REGISTER in facade types (replaces those `delegate` handlers; OPTIONS stays the endpoint's). */
  onRequest?: (request: IncomingSipRequest) => void;
  /** Out-of-dialog SUBSCRIBEs (replaces `onRequest` for SUBSCRIBE). */
  onSubscription?: (subscription: IncomingSubscription) => void;
  /** Largest subscription expiry granted, seconds (default 3600). */
  maxSubscriptionExpires?: number;
  /** Which Request-URIs openum serves (default: none but our own Contact user → the core answers 404). */
  resolveTarget?: TargetResolver;
  /** Clock for retransmission timers (default: the process clock). */
  timers?: TimerScheduler;
  /** T1/T2/T4 (default RFC 3261: 500/4000/5000 ms). */
  timerSettings?: Partial<SipTimerSettings>;
  /** Methods accepted (default ACK, BYE, CANCEL, INFO, INVITE, NOTIFY, OPTIONS, REFER, SUBSCRIBE). */
  allowedMethods?: readonly string[];
  /** Option tags supported (default none; anything in Require then gets 420). */
  supportedOptionTags?: readonly string[];
  /** Body types accepted (default application/sdp). */
  acceptedBodyTypes?: readonly string[];
  /** Largest message accepted (default 65,535). */
  maxMessageSize?: number;
  /** Stamp rport on UDP even when not requested (default false: RFC 3581 opt-in). */
  forceRport?: boolean;
  /** Host for Via and Contact when bound to a wildcard address. */
  advertisedHost?: string;
  /** User part of our Contact (default `openum`). */
  contactUser?: string;
  /** User-Agent/Server header value (default `openum`). */
  userAgent?: string;
  /** Host name resolution for request next hops (default: system resolver). */
  hostResolver?: HostResolver;
}

/** Default methods openum accepts. */
export const DEFAULT_ALLOWED_METHODS: readonly string[] = Object.freeze(['ACK', 'BYE', 'CANCEL', 'INFO', 'INVITE', 'NOTIFY', 'OPTIONS', 'REFER', 'SUBSCRIBE']);

/** A bound listener as reported by {@link SipEndpoint.listeners}. */
export interface SipListenerInfo extends SocketAddress {
  /** Protocol. */
  protocol: TransportProtocol;
  /** Our Contact URI there. */
  contact: string;
}

/**
 * openum's SIP signalling endpoint: one listener (transport + SIP.js core) per configured socket, all
 * sharing one application delegate and one target resolver.
 */
export class SipEndpoint {
  private readonly byProtocol = new Map<TransportProtocol, SipListener>();
  private closed = false;

  private constructor(
    private readonly all: SipListener[],
    private readonly registry: CallRegistry,
    private readonly logger: Logger,
    private readonly timers: TimerScheduler,
    private readonly subscriptions: Set<NotifierDialog> = new Set(),
  ) {
    for (const listener of all) if (!this.byProtocol.has(listener.protocol)) this.byProtocol.set(listener.protocol, listener);
  }

  /** Open every listener; on failure closes those already open and rejects with `SipListenError`. */
  static async start(options: SipEndpointOptions): Promise<SipEndpoint> {
    if (options.listen.length === 0) throw new SipListenError('no listen sockets configured');
    const policy: RequestPolicyOptions = {
      allowedMethods: options.allowedMethods ?? DEFAULT_ALLOWED_METHODS,
      supportedOptionTags: options.supportedOptionTags ?? [],
      acceptedBodyTypes: options.acceptedBodyTypes ?? ['application/sdp'],
    };
    const opened: SipListener[] = [];
    const registry = new CallRegistry(options.logger);
    const base = options.delegate ?? {};
    const handlers = { onIncomingCall: options.onIncomingCall, onRequest: options.onRequest, onSubscription: options.onSubscription };
    const subscriptions = new Set<NotifierDialog>();
    const shared = { logger: options.logger, registry, timers: options.timers ?? systemTimers, subscriptions, maxSubscriptionExpires: options.maxSubscriptionExpires ?? 3600 };
    const delegate = handlers.onIncomingCall || handlers.onRequest || handlers.onSubscription
      ? (listener: SipListener) => createCallFacadeDelegate(base, handlers, {
        protocol: listener.protocol,
        requestSource: () => listener.requestSource,
        core: () => listener.core,
      }, shared)
      : base;
    try {
      for (const listen of options.listen) {
        opened.push(await SipListener.start({
          listen,
          tls: options.tls,
          logger: options.logger,
          delegate,
          resolveTarget: options.resolveTarget ?? ((_uri: URI) => false),
          timers: options.timers ?? systemTimers,
          timerSettings: { ...DEFAULT_SIP_TIMERS, ...options.timerSettings },
          policy,
          maxMessageSize: options.maxMessageSize ?? 65_535,
          forceRport: options.forceRport ?? false,
          advertisedHost: options.advertisedHost,
          contactUser: options.contactUser ?? 'openum',
          userAgent: options.userAgent ?? 'openum',
          hostResolver: options.hostResolver ?? systemHostResolver,
        }));
      }
    } catch (error) {
      for (const listener of opened) listener.close();
      throw error instanceof SipListenError ? error : new SipListenError('cannot start the SIP endpoint', error);
    }
    return new SipEndpoint(opened, registry, options.logger, options.timers ?? systemTimers, subscriptions);
  }

  /** Bound addresses, in the order of `options.listen`. */
  get listeners(): SipListenerInfo[] {
    return this.all.map((l) => ({ protocol: l.protocol, ...l.local, contact: l.contactUri.toString() }));
  }

  /** The SIP.js core of the first listener of `protocol`, for sending requests. */
  core(protocol: TransportProtocol): UserAgentCore {
    if (this.closed) throw new SipClosedError('SIP endpoint');
    const listener = this.byProtocol.get(protocol);
    if (!listener) throw new SipListenError(`no ${protocol.toUpperCase()} listener`);
    return listener.core;
  }

  /**
   * Place an outbound call (INVITE to `options.via`); resolves with the dialog on a 2xx, rejects with
   * `SipCallFailedError` on 3xx–6xx, Timer B or the no-answer timeout (after CANCEL), `SipClosedError` on close.
   */
  createCall(options: OutboundCallOptions): Promise<SipDialog> {
    let core: UserAgentCore;
    try {
      core = this.core(options.via.protocol);
    } catch (error) {
      return Promise.reject(error);
    }
    return OutboundCall.place(options, { core, logger: this.logger, registry: this.registry, timers: this.timers });
  }

  /**
   * Sends an out-of-dialog non-INVITE request (an unsolicited NOTIFY) to `options.via`; resolves with the
   * final response (SIP.js answers Timer F with 408 and a transport failure with 503).
   */
  sendRequest(options: OutboundRequestOptions): Promise<OutboundRequestResult> {
    let core: UserAgentCore;
    try {
      core = this.core(options.via.protocol);
    } catch (error) {
      return Promise.reject(error);
    }
    return sendOutboundRequest(core, options);
  }

  /** Close every listener: sockets, timers, cores. Live dialogs end with `closed` (no BYE). Synchronous and idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.end('closed');
    this.registry.close();
    for (const listener of this.all) listener.close();
  }
}
