import type { Logger } from 'pino';
import { TransactionState, UserAgentClient } from 'sip.js/lib/core/index.js';
import type {
  AckableIncomingResponseWithSession, IncomingResponse, OutgoingInviteRequest, OutgoingInviteRequestDelegate, UserAgentCore,
} from 'sip.js/lib/core/index.js';
import { SipClosedError } from '../errors.js';
import type { TimerHandle, TimerScheduler } from '../timers/timer-scheduler.js';
import { SipCallFailedError, SipInvalidRequestError } from './call-facade-errors.js';
import type { CallRegistry, EndpointChild } from './call-registry.js';
import type { OutboundCallOptions, OutboundFailure, SipDialog } from './facade-types.js';
import { extraHeaderLines, sdpOf, sessionBody } from './message-parts.js';
import { SipJsDialog } from './sip-dialog.js';
import { parseRequestTarget, preloadedRoute, quotableDisplayName } from './request-target.js';

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

/**
 * An outbound INVITE (RFC 3261 §13.2) with a no-answer timer: 2xx → ACK and a {@link SipDialog}; 3xx–6xx →
 * {@link SipCallFailedError}; no final answer in time → CANCEL (§9.1, held back by the core until a
 * provisional response arrives) and a failure with `noAnswer`.
 */
export class OutboundCall implements EndpointChild {
  private settled = false;
  private noAnswerTimer: TimerHandle | undefined;
  private request: OutgoingInviteRequest | undefined;
  private removeAbortListener: (() => void) | undefined;
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
    const requestUri = parseRequestTarget(options.requestUri, options.via.address, 'requestUri');
    const fromUri = parseRequestTarget(options.from.uri, core.configuration.contact.uri.host, 'from.uri');
    const message = core.makeOutgoingRequestMessage(
      'INVITE',
      requestUri,
      fromUri,
      requestUri,
      {
        routeSet: preloadedRoute(requestUri, options.via),
        ...(options.from.displayName ? { fromDisplayName: quotableDisplayName(options.from.displayName) } : {}),
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
    const signal = options.signal;
    if (signal) {
      const onAbort = (): void => this.guarded('abort', () => this.abandon());
      // An already aborted signal still sends the INVITE first: a CANCEL needs a request to cancel.
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
      this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
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
    const cancelNow = this.cancel();
    const failure: OutboundFailure = cancelNow
      ? { statusCode: 487, reasonPhrase: 'Request Terminated', noAnswer: true }
      : { statusCode: 408, reasonPhrase: 'Request Timeout', noAnswer: true };
    this.logger.info({ ...failure, timeoutMs: this.options.noAnswerTimeoutMs }, 'no answer; cancelling');
    this.settle(new SipCallFailedError(failure));
  }

  /** The application gave up (`options.signal`): CANCEL as for the no-answer timeout, but not a no-answer. */
  private abandon(): void {
    if (this.settled || !this.request) return;
    this.cancel();
    const failure: OutboundFailure = { statusCode: 487, reasonPhrase: 'Request Terminated', noAnswer: false };
    this.logger.info(failure, 'outbound call abandoned; cancelling');
    this.settle(new SipCallFailedError(failure));
  }

  /** Sends CANCEL; true when it went out now rather than being held for a provisional response. */
  private cancel(): boolean {
    // The core sends the CANCEL now if a provisional response put the transaction in Proceeding, and
    // otherwise holds it until one arrives (RFC 3261 §9.1); a silent peer then ends in Timer B.
    const uac: unknown = this.request;
    const cancelNow = uac instanceof UserAgentClient && uac.transaction.state === TransactionState.Proceeding;
    try {
      this.request?.cancel();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not send CANCEL');
    }
    return cancelNow;
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
    this.removeAbortListener?.();
    this.removeAbortListener = undefined;
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
