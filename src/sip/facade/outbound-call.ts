import type { Logger } from 'pino';
import { Grammar, TransactionState, UserAgentClient } from 'sip.js/lib/core/index.js';
import type {
  AckableIncomingResponseWithSession, IncomingResponse, OutgoingInviteRequest, OutgoingInviteRequestDelegate, URI, UserAgentCore,
} from 'sip.js/lib/core/index.js';
import { SipClosedError } from '../errors.js';
import type { TimerHandle, TimerScheduler } from '../timers/timer-scheduler.js';
import { SipCallFailedError, SipInvalidRequestError } from './call-facade-errors.js';
import type { CallRegistry, EndpointChild } from './call-registry.js';
import type { OutboundCallOptions, OutboundFailure, SipDialog } from './facade-types.js';
import { extraHeaderLines, sdpOf, sessionBody } from './message-parts.js';
import { SipJsDialog } from './sip-dialog.js';

/** What an outbound call needs from the endpoint. */
export interface OutboundCallContext {
  /** The core of the listener whose protocol matches `options.via.protocol`. */
  core: UserAgentCore;
  /** The endpoint's logger. */
  logger: Logger;
  /** The endpoint's live calls. */
  registry: CallRegistry;
  /** Clock for the no-answer timer. */
  timers: TimerScheduler;
}

const DEFAULT_PORTS = { udp: 5060, tcp: 5060, tls: 5061 } as const;

/** `tel:NUMBER[;params]` as `sip:NUMBER[;params]@host;user=phone` (the SIP.js grammar knows sip/sips only). */
function parseTarget(text: string, host: string, what: string): URI {
  const tel = /^tel:(.+)$/i.exec(text.trim());
  const hostText = host.includes(':') ? `[${host}]` : host;
  const uri = Grammar.URIParse(tel ? `sip:${tel[1]}@${hostText};user=phone` : text.trim());
  if (!uri) throw new SipInvalidRequestError(`${what} is not a SIP URI: ${JSON.stringify(text.slice(0, 200))}`);
  return uri;
}

/** A quoted display name needs `\` and `"` escaped (RFC 3261 §25.1 quoted-pair); SIP.js quotes without escaping. */
function quotable(displayName: string): string {
  return displayName.replace(/[\r\n]/g, ' ').replace(/(["\\])/g, '\\$1');
}

/**
 * An outbound INVITE (RFC 3261 §13.2) with a no-answer timer: 2xx → ACK and a {@link SipDialog}; 3xx–6xx →
 * {@link SipCallFailedError}; no final answer in time → CANCEL (§9.1, held back by the core until a
 * provisional response arrives) and a failure with `noAnswer`.
 */
export class OutboundCall implements EndpointChild {
  private settled = false;
  private noAnswerTimer: TimerHandle | undefined;
  private request: OutgoingInviteRequest | undefined;
  private resolve!: (dialog: SipDialog) => void;
  private reject!: (error: Error) => void;
  private readonly logger: Logger;

  private constructor(private readonly options: OutboundCallOptions, private readonly context: OutboundCallContext) {
    this.logger = context.logger;
  }

  /** Send the INVITE; settles on the final answer, the no-answer timeout, or endpoint close. */
  static place(options: OutboundCallOptions, context: OutboundCallContext): Promise<SipDialog> {
    const call = new OutboundCall(options, context);
    return new Promise<SipDialog>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
      try {
        call.start();
      } catch (error) {
        call.settle(error instanceof Error ? error : new SipInvalidRequestError(String(error)));
      }
    });
  }

  /** The endpoint is closing: stop the timer and reject. */
  closeFromEndpoint(): void {
    this.settle(new SipClosedError('SIP endpoint'));
  }

  private start(): void {
    const { options, context } = this;
    if (!Number.isFinite(options.noAnswerTimeoutMs) || options.noAnswerTimeoutMs <= 0) {
      throw new SipInvalidRequestError(`noAnswerTimeoutMs must be a positive number, not ${options.noAnswerTimeoutMs}`);
    }
    const core = context.core;
    const requestUri = parseTarget(options.requestUri, options.via.address, 'requestUri');
    const fromUri = parseTarget(options.from.uri, core.configuration.contact.uri.host, 'from.uri');
    const message = core.makeOutgoingRequestMessage(
      'INVITE',
      requestUri,
      fromUri,
      requestUri,
      {
        routeSet: this.routeSet(requestUri),
        ...(options.from.displayName ? { fromDisplayName: quotable(options.from.displayName) } : {}),
      },
      [`Contact: ${core.configuration.contact.toString()}`, ...extraHeaderLines(options.headers)],
      sessionBody(options.sdp),
    );
    this.logger.info({ callId: message.callId, requestUri: requestUri.toString(), via: options.via }, 'placing outbound call');
    const delegate: OutgoingInviteRequestDelegate = {
      onProgress: (response) => this.guarded('provisional', () => this.provisional(response)),
      onAccept: (response) => this.guarded('2xx', () => this.accepted(response)),
      onRedirect: (response) => this.guarded('3xx', () => this.failed(response)),
      onReject: (response) => this.guarded('final failure', () => this.failed(response)),
    };
    this.request = core.invite(message, delegate);
    context.registry.add(this);
    this.noAnswerTimer = context.timers.setTimeout(() => this.guarded('no-answer timer', () => this.noAnswer()), options.noAnswerTimeoutMs);
  }

  /** A Route to the gateway when the Request-URI does not already lead there (a pre-loaded route, RFC 3261 §8.1.2). */
  private routeSet(requestUri: URI): string[] {
    const via = this.options.via;
    const host = requestUri.host.startsWith('[') ? requestUri.host.slice(1, -1) : requestUri.host;
    const port = requestUri.port ?? DEFAULT_PORTS[via.protocol];
    if (host === via.address && port === via.port) return [];
    const hostText = via.address.includes(':') ? `[${via.address}]` : via.address;
    const transport = via.protocol === 'udp' ? '' : `;transport=${via.protocol}`;
    return [`<sip:${hostText}:${via.port}${transport};lr>`];
  }

  private provisional(response: IncomingResponse): void {
    if (this.settled) return;
    const status = response.message.statusCode ?? 0;
    this.logger.debug({ status }, 'outbound call progress');
    try {
      this.options.onProvisional?.(status, response.message.reasonPhrase ?? '');
    } catch (error) {
      this.logger.error({ err: error }, 'onProvisional threw');
    }
  }

  private accepted(response: AckableIncomingResponseWithSession): void {
    try {
      response.ack();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not ACK the 2xx');
    }
    if (this.settled) {
      // A 2xx that crossed our CANCEL, or a second fork (RFC 3261 §13.2.2.4): ACK it, then hang up.
      this.logger.info('late or forked 2xx to an outbound call; sending BYE');
      this.byeQuietly(response);
      return;
    }
    const answer = sdpOf(response.message);
    if (answer === undefined) {
      this.logger.warn('2xx without an SDP answer; hanging up');
      this.byeQuietly(response);
      this.settle(new SipCallFailedError({ statusCode: 488, reasonPhrase: 'No SDP answer in 2xx', noAnswer: false }));
      return;
    }
    const dialog = new SipJsDialog({
      session: response.session,
      localSdp: this.options.sdp,
      remoteSdp: answer,
      awaitingAck: false,
      answerInAck: false,
      logger: this.logger.child({ callId: response.session.callId }),
      registry: this.context.registry,
    });
    this.settle(undefined, dialog);
  }

  private failed(response: IncomingResponse): void {
    const failure: OutboundFailure = {
      statusCode: response.message.statusCode ?? 0,
      reasonPhrase: response.message.reasonPhrase ?? '',
      noAnswer: false,
    };
    this.logger.info(failure, 'outbound call failed');
    this.settle(new SipCallFailedError(failure));
  }

  private noAnswer(): void {
    this.noAnswerTimer = undefined;
    if (this.settled || !this.request) return;
    // The core sends the CANCEL now if a provisional response put the transaction in Proceeding, and
    // otherwise holds it until one arrives (RFC 3261 §9.1); a silent peer then ends in Timer B.
    const uac: unknown = this.request;
    const cancelNow = uac instanceof UserAgentClient && uac.transaction.state === TransactionState.Proceeding;
    try {
      this.request.cancel();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not send CANCEL');
    }
    const failure: OutboundFailure = cancelNow
      ? { statusCode: 487, reasonPhrase: 'Request Terminated', noAnswer: true }
      : { statusCode: 408, reasonPhrase: 'Request Timeout', noAnswer: true };
    this.logger.info({ ...failure, timeoutMs: this.options.noAnswerTimeoutMs }, 'no answer; cancelling');
    this.settle(new SipCallFailedError(failure));
  }

  private byeQuietly(response: AckableIncomingResponseWithSession): void {
    try {
      response.session.bye();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not send BYE');
    }
  }

  private settle(error: Error | undefined, dialog?: SipDialog): void {
    if (this.settled) return;
    this.settled = true;
    if (this.noAnswerTimer !== undefined) this.context.timers.clearTimeout(this.noAnswerTimer);
    this.noAnswerTimer = undefined;
    this.context.registry.delete(this);
    if (error) this.reject(error);
    else if (dialog) this.resolve(dialog);
  }

  private guarded(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.error({ err: error }, `failure handling outbound call ${what}`);
      this.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
