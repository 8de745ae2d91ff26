import type { Logger } from 'pino';
import type { IncomingRequestMessage, InviteUserAgentServer, UserAgentCore, UserAgentCoreDelegate, UserAgentServer } from 'sip.js/lib/core/index.js';
import { canStillReject } from '../core/application-delegate.js';
import { splitHeaderList } from '../messages/raw-message.js';
import { parseVia } from '../messages/via.js';
import type { SocketAddress, TransportProtocol } from '../transport/transport-types.js';
import type { TimerScheduler } from '../timers/timer-scheduler.js';
import { SipJsIncomingSubscription } from '../mwi/incoming-subscription.js';
import type { IncomingSubscription } from '../mwi/incoming-subscription.js';
import type { NotifierDialog } from '../mwi/notifier-dialog.js';
import type { CallRegistry } from './call-registry.js';
import type { IncomingCall, SipSource } from './facade-types.js';
import { SipJsIncomingCall } from './incoming-call.js';
import { SipJsIncomingRequest } from './incoming-request.js';
import type { IncomingSipRequest } from './incoming-request.js';

/** The application's handlers, in facade types only. */
export interface CallFacadeHandlers {
  /** A new INVITE; the application must `accept`, `reject` or let the caller `cancel`. */
  onIncomingCall?: (call: IncomingCall) => void;
  /** An out-of-dialog NOTIFY, SUBSCRIBE, REFER, MESSAGE or REGISTER (OPTIONS is answered by the endpoint). */
  onRequest?: (request: IncomingSipRequest) => void;
  /** An out-of-dialog SUBSCRIBE (replaces `onRequest` for SUBSCRIBE); refreshes stay inside the subscription. */
  onSubscription?: (subscription: IncomingSubscription) => void;
}

/** The narrow view of a listener the facade needs. */
export interface FacadeListenerContext {
  /** Transport of the listener. */
  protocol: TransportProtocol;
  /** Source of the request being dispatched right now (only valid synchronously inside a delegate call). */
  requestSource(): SocketAddress | undefined;
  /** The listener's SIP.js core (subscription dialogs register there). */
  core(): UserAgentCore;
}

/** What every facade object of one endpoint shares. */
export interface FacadeShared {
  /** The endpoint's logger. */
  logger: Logger;
  /** The endpoint's live calls. */
  registry: CallRegistry;
  /** Timers for subscription expiry. */
  timers: TimerScheduler;
  /** Live subscription dialogs, ended when the endpoint closes. */
  subscriptions: Set<NotifierDialog>;
  /** Largest subscription expiry granted, seconds. */
  maxSubscriptionExpires: number;
}

type RequestHandlerName = 'onMessage' | 'onNotify' | 'onRefer' | 'onRegister' | 'onSubscribe';
const REQUEST_HANDLERS: readonly RequestHandlerName[] = ['onMessage', 'onNotify', 'onRefer', 'onRegister', 'onSubscribe'];

/** Source from the listener, else from the top Via's received/rport (stamped on receipt). */
function sourceOf(message: IncomingRequestMessage, listener: FacadeListenerContext): SipSource {
  const source = listener.requestSource();
  if (source) return { address: source.address, port: source.port, protocol: listener.protocol };
  const top = splitHeaderList(message.getHeader('via') ?? '')[0];
  const via = top === undefined ? undefined : parseVia(top);
  const rport = Number(via?.params.get('rport'));
  return {
    address: via?.params.get('received') || via?.host || '',
    port: Number.isInteger(rport) && rport > 0 ? rport : via?.port ?? 5060,
    protocol: listener.protocol,
  };
}

/**
 * A SIP.js core delegate that hands the application facade objects instead of SIP.js ones: `onInvite`
 * becomes `onIncomingCall`, out-of-dialog NOTIFY/SUBSCRIBE/REFER/MESSAGE/REGISTER become `onRequest`.
 * Handlers of `base` the facade does not replace stay as they are.
 */
export function createCallFacadeDelegate(
  base: UserAgentCoreDelegate,
  handlers: CallFacadeHandlers,
  listener: FacadeListenerContext,
  shared: FacadeShared,
): UserAgentCoreDelegate {
  const delegate: UserAgentCoreDelegate = { ...base };
  const logger = shared.logger;
  const onIncomingCall = handlers.onIncomingCall;
  if (onIncomingCall) {
    delegate.onInvite = (uas: InviteUserAgentServer) => {
      let call: SipJsIncomingCall;
      try {
        call = new SipJsIncomingCall(uas, { source: sourceOf(uas.message, listener), logger, registry: shared.registry });
      } catch (error) {
        logger.warn({ err: error }, 'cannot build an incoming call from this INVITE; answering 400');
        replyIfPossible(uas, 400, logger);
        return;
      }
      try {
        onIncomingCall(call);
      } catch (error) {
        logger.error({ err: error, callId: call.callId }, 'onIncomingCall threw; answering 500');
        replyIfPossible(uas, 500, logger);
      }
    };
  }
  const onRequest = handlers.onRequest;
  if (onRequest) {
    for (const name of REQUEST_HANDLERS) {
      (delegate as Record<RequestHandlerName, (uas: UserAgentServer) => void>)[name] = (uas: UserAgentServer) => {
        let request: SipJsIncomingRequest;
        try {
          request = new SipJsIncomingRequest(uas, sourceOf(uas.message, listener), logger);
        } catch (error) {
          logger.warn({ err: error }, 'cannot build a facade request; answering 400');
          replyIfPossible(uas, 400, logger);
          return;
        }
        try {
          onRequest(request);
        } catch (error) {
          logger.error({ err: error, method: request.method }, 'onRequest threw; answering 500');
          replyIfPossible(uas, 500, logger);
        }
      };
    }
  }
  const onSubscription = handlers.onSubscription;
  if (onSubscription) {
    delegate.onSubscribe = (uas: UserAgentServer) => {
      let subscription: SipJsIncomingSubscription;
      try {
        subscription = new SipJsIncomingSubscription(uas, sourceOf(uas.message, listener), {
          core: listener.core(), logger, timers: shared.timers, maxExpires: shared.maxSubscriptionExpires, live: shared.subscriptions,
        });
      } catch (error) {
        logger.warn({ err: error }, 'cannot build a subscription from this SUBSCRIBE; answering 400');
        replyIfPossible(uas, 400, logger);
        return;
      }
      try {
        onSubscription(subscription);
      } catch (error) {
        logger.error({ err: error, callId: subscription.callId }, 'onSubscription threw; answering 500');
        replyIfPossible(uas, 500, logger);
      }
    };
  }
  return delegate;
}

function replyIfPossible(uas: UserAgentServer, statusCode: number, logger: Logger): void {
  try {
    if (canStillReject(uas)) uas.reject({ statusCode });
  } catch (error) {
    logger.error({ err: error }, `could not answer ${statusCode}`);
  }
}
