import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import {
  InviteClientTransaction, NonInviteClientTransaction, SessionDialog, TransactionState, UserAgentClient, UserAgentServer,
} from 'sip.js/lib/core/index.js';
import type {
  AckableIncomingResponseWithSession, IncomingAckRequest, IncomingByeRequest, IncomingInfoRequest, IncomingInviteRequest,
  IncomingResponse, OutgoingAckRequest, OutgoingInviteRequestDelegate, OutgoingRequestDelegate, Session,
} from 'sip.js/lib/core/index.js';
import { SipClosedError } from '../errors.js';
import { SipCallError, SipDialogStateError, SipInvalidRequestError, SipRequestFailedError } from './call-facade-errors.js';
import type { CallRegistry, EndpointChild } from './call-registry.js';
import type { DialogEndReason, SipBody, SipDialog, SipDialogEvents } from './facade-types.js';
import { bodyOf, extraHeaderLines, renderBody, sdpOf, sessionBody } from './message-parts.js';

/** Dialog states; only forward moves are legal (see `transition`). */
export enum SipDialogState {
  /** UAS: our 2xx is out, the ACK is not in yet. */
  AwaitingAck = 'awaiting-ack',
  /** Usable. */
  Confirmed = 'confirmed',
  /** Over; `destroy` has been emitted. */
  Ended = 'ended',
}

const LEGAL: Readonly<Record<SipDialogState, readonly SipDialogState[]>> = {
  [SipDialogState.AwaitingAck]: [SipDialogState.Confirmed, SipDialogState.Ended],
  [SipDialogState.Confirmed]: [SipDialogState.Ended],
  [SipDialogState.Ended]: [],
};

/** Methods with their own verbs (destroy, modify) or no place in `request()`. */
const NOT_BY_REQUEST = new Set(['ACK', 'BYE', 'CANCEL', 'INVITE', 'PRACK']);
const METHOD = /^[A-Za-z][A-Za-z0-9.!%*_+`'~-]*$/;

/** Options of {@link SipJsDialog}. */
export interface SipJsDialogOptions {
  /** The SIP.js session (a `SessionDialog` at run time). */
  session: Session;
  /** Our SDP so far (answer, or offer for an offer-less INVITE). */
  localSdp: string;
  /** The peer's SDP so far ('' until the ACK when it carries the answer). */
  remoteSdp: string;
  /** UAS whose 2xx is not yet ACKed. */
  awaitingAck: boolean;
  /** Offer-less INVITE: the ACK carries the answer. */
  answerInAck: boolean;
  /** Logger (a per-call child). */
  logger: Logger;
  /** The endpoint's live calls. */
  registry: CallRegistry;
}

interface Deferred {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * {@link SipDialog} on a SIP.js `SessionDialog`. It owns the dialog's delegate: BYE, INFO, re-INVITE and
 * ACK reach it, and it turns them into events. Nothing thrown by an event listener reaches SIP.js.
 */
export class SipJsDialog extends EventEmitter<SipDialogEvents> implements SipDialog, EndpointChild {
  /** Call-ID of the dialog. */
  readonly callId: string;
  /** Resolves on the initial ACK (UAS) or at once (UAC); rejects if the dialog ends first. */
  readonly confirmed: Promise<void>;
  private state: SipDialogState;
  private currentLocalSdp: string;
  private currentRemoteSdp: string;
  private readonly session: SessionDialog;
  private readonly logger: Logger;
  private readonly registry: CallRegistry;
  private readonly answerInAck: boolean;
  private confirmation: Deferred | undefined;
  private byePromise: Promise<void> | undefined;
  private pendingModify: ((error: Error) => void) | undefined;
  /** CSeq of a re-INVITE we answered 2xx and whose ACK is outstanding (and whether that ACK carries the answer). */
  private reinviteAck: { cseq: number; answerInAck: boolean } | undefined;
  /** What each outstanding operation does if the endpoint closes under it. */
  private readonly onEndpointClose = new Set<() => void>();

  constructor(options: SipJsDialogOptions) {
    super();
    if (!(options.session instanceof SessionDialog)) throw new SipDialogStateError('the SIP core returned a session that is not a SessionDialog');
    this.session = options.session;
    this.callId = options.session.callId;
    this.currentLocalSdp = options.localSdp;
    this.currentRemoteSdp = options.remoteSdp;
    this.logger = options.logger;
    this.registry = options.registry;
    this.answerInAck = options.answerInAck;
    this.state = options.awaitingAck ? SipDialogState.AwaitingAck : SipDialogState.Confirmed;
    this.confirmed = options.awaitingAck
      ? new Promise<void>((resolve, reject) => { this.confirmation = { resolve, reject }; })
      : Promise.resolve();
    // The promise is for accept(); a handler here keeps an ignored rejection from reaching the process.
    this.confirmed.catch(() => undefined);
    this.session.delegate = {
      onAck: (request) => this.guarded('ACK', () => this.receiveAck(request)),
      onAckTimeout: () => this.guarded('ACK timeout', () => this.ackTimedOut()),
      onBye: (request) => this.guarded('BYE', () => this.receiveBye(request)),
      onInfo: (request) => this.guarded('INFO', () => this.receiveInfo(request)),
      onInvite: (request) => this.guarded('re-INVITE', () => this.receiveReInvite(request)),
    };
    this.registry.add(this);
  }

  /** The SDP we sent last. */
  get localSdp(): string {
    return this.currentLocalSdp;
  }

  /** The SDP the peer sent last. */
  get remoteSdp(): string {
    return this.currentRemoteSdp;
  }

  /** Whether the dialog has ended. */
  get destroyed(): boolean {
    return this.state === SipDialogState.Ended;
  }

  /** Current state (for logs and tests). */
  get dialogState(): SipDialogState {
    return this.state;
  }

  /** Ends the call with BYE; idempotent. */
  destroy(): Promise<void> {
    if (this.byePromise) return this.byePromise;
    if (this.state === SipDialogState.Ended) return Promise.resolve();
    this.byePromise = this.sendBye();
    this.end('local');
    return this.byePromise;
  }

  /** Sends a re-INVITE with `sdp` as the offer; resolves with the answer. */
  modify(sdp: string): Promise<string> {
    if (this.state !== SipDialogState.Confirmed) return Promise.reject(new SipDialogStateError(`cannot re-INVITE a dialog in state ${this.state}`));
    if (this.pendingModify) return Promise.reject(new SipDialogStateError('a re-INVITE is already in progress'));
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let ack: OutgoingAckRequest | undefined;
      const settle = (error: Error | undefined, answer?: string): void => {
        if (settled) return;
        settled = true;
        this.pendingModify = undefined;
        this.onEndpointClose.delete(onClose);
        if (error) reject(error);
        else resolve(answer ?? '');
        this.unregisterIfIdle();
      };
      const onClose = (): void => settle(new SipClosedError('SIP endpoint'));
      const failed = (response: IncomingResponse): void => {
        const status = response.message.statusCode ?? 0;
        settle(new SipRequestFailedError('INVITE', status, response.message.reasonPhrase ?? ''));
        this.afterFailedRequest(status);
      };
      let uac: unknown;
      const delegate: OutgoingInviteRequestDelegate = {
        onAccept: (response: AckableIncomingResponseWithSession) => this.guarded('re-INVITE 2xx', () => {
          if (ack) {
            // A retransmitted 2xx (RFC 3261 §13.2.2.4): send the same ACK again.
            if (uac instanceof UserAgentClient && uac.transaction instanceof InviteClientTransaction) uac.transaction.ackResponse(ack.message);
            return;
          }
          ack = response.ack();
          const answer = sdpOf(response.message);
          if (answer === undefined) {
            settle(new SipRequestFailedError('INVITE', response.message.statusCode ?? 200, 'no SDP answer in the 2xx'));
            return;
          }
          this.currentLocalSdp = sdp;
          this.currentRemoteSdp = answer;
          settle(undefined, answer);
        }),
        onReject: (response: IncomingResponse) => this.guarded('re-INVITE failure', () => failed(response)),
        onRedirect: (response: IncomingResponse) => this.guarded('re-INVITE redirect', () => failed(response)),
      };
      try {
        uac = this.session.invite(delegate, { body: sessionBody(sdp), extraHeaders: [this.contactHeader()] });
      } catch (error) {
        reject(new SipDialogStateError('the SIP core refused the re-INVITE', error));
        return;
      }
      this.pendingModify = (error) => settle(error);
      this.onEndpointClose.add(onClose);
    });
  }

  /** Sends an in-dialog request other than INVITE/ACK/BYE/CANCEL/PRACK; resolves with the final status code. */
  request(method: string, options: { headers?: Record<string, string>; body?: SipBody } = {}): Promise<number> {
    const upper = method.toUpperCase();
    if (!METHOD.test(method) || NOT_BY_REQUEST.has(upper)) return Promise.reject(new SipInvalidRequestError(`request() cannot send ${method}`));
    if (this.state !== SipDialogState.Confirmed) return Promise.reject(new SipDialogStateError(`cannot send ${upper} in state ${this.state}`));
    let extraHeaders: string[];
    try {
      extraHeaders = extraHeaderLines(options.headers);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const onClose = (): void => finish(new SipClosedError('SIP endpoint'));
      const finish = (error: Error | undefined, status = 0): void => {
        if (settled) return;
        settled = true;
        this.onEndpointClose.delete(onClose);
        if (error) reject(error);
        else resolve(status);
        this.unregisterIfIdle();
      };
      const done = (response: IncomingResponse): void => {
        const status = response.message.statusCode ?? 0;
        finish(undefined, status);
        if (status >= 300) this.afterFailedRequest(status);
      };
      const delegate: OutgoingRequestDelegate = {
        onAccept: (response) => this.guarded(`${upper} response`, () => done(response)),
        onReject: (response) => this.guarded(`${upper} response`, () => done(response)),
        onRedirect: (response) => this.guarded(`${upper} response`, () => done(response)),
      };
      try {
        const message = this.session.createOutgoingRequestMessage(upper, {
          extraHeaders,
          ...(options.body ? { body: renderBody(options.body) } : {}),
        });
        new UserAgentClient(NonInviteClientTransaction, this.session.userAgentCore, message, delegate);
      } catch (error) {
        reject(new SipDialogStateError(`the SIP core refused ${upper}`, error));
        return;
      }
      this.onEndpointClose.add(onClose);
    });
  }

  /** The endpoint is closing: end with reason `closed` and settle everything outstanding. */
  closeFromEndpoint(): void {
    this.end('closed');
    for (const handler of [...this.onEndpointClose]) handler();
    this.onEndpointClose.clear();
    this.registry.delete(this);
  }

  private receiveAck(request: IncomingAckRequest): void {
    const sdp = sdpOf(request.message);
    if (this.state === SipDialogState.AwaitingAck) {
      if (this.answerInAck) {
        if (sdp === undefined) {
          // RFC 3264 §5: our offer in the 2xx needs an answer in the ACK; without one there is no media.
          this.logger.warn('ACK carried no SDP answer to our offer; ending the call');
          this.transition(SipDialogState.Confirmed);
          void this.destroy();
          return;
        }
        this.currentRemoteSdp = sdp;
      }
      this.transition(SipDialogState.Confirmed);
      this.confirmation?.resolve();
      this.confirmation = undefined;
      return;
    }
    if (this.reinviteAck && this.reinviteAck.cseq === request.message.cseq) {
      if (this.reinviteAck.answerInAck && sdp !== undefined) this.currentRemoteSdp = sdp;
      this.reinviteAck = undefined;
    }
  }

  private ackTimedOut(): void {
    this.logger.warn('no ACK for our 2xx within 64·T1; ending the call');
    // RFC 3261 §13.3.1.4: a UAS that never gets the ACK SHOULD end the dialog with BYE.
    this.byePromise = this.sendBye();
    this.end('ack-timeout');
  }

  private receiveBye(request: IncomingByeRequest): void {
    try {
      request.accept();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not answer BYE');
    }
    this.end('remote-bye');
  }

  private receiveInfo(request: IncomingInfoRequest): void {
    try {
      request.accept();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not answer INFO');
    }
    this.emitSafely('info', bodyOf(request.message));
  }

  private receiveReInvite(request: IncomingInviteRequest): void {
    const offer = sdpOf(request.message);
    const cseq = request.message.cseq;
    const answer = (sdp: string, answerInAck: boolean): void => {
      request.accept({ statusCode: 200, body: sessionBody(sdp), extraHeaders: [this.contactHeader()] });
      this.currentLocalSdp = sdp;
      if (!answerInAck && offer !== undefined) this.currentRemoteSdp = offer;
      this.watchReInviteAck(request, cseq, answerInAck);
    };
    if (offer === undefined) {
      // Offer-less re-INVITE (a session refresh): offer our current SDP again; the answer comes in the ACK.
      answer(this.currentLocalSdp, true);
      return;
    }
    if (this.listenerCount('modify') === 0) {
      request.reject({ statusCode: 488 });
      return;
    }
    let replied = false;
    const reply = {
      answer: (sdp: string): void => {
        if (replied) throw new SipDialogStateError('the re-INVITE was already answered');
        replied = true;
        this.guarded('re-INVITE answer', () => answer(sdp, false));
      },
      reject: (status: number): void => {
        if (!Number.isInteger(status) || status < 400 || status > 699) throw new SipInvalidRequestError(`cannot reject a re-INVITE with ${status}`);
        if (replied) throw new SipDialogStateError('the re-INVITE was already answered');
        replied = true;
        this.guarded('re-INVITE reject', () => { request.reject({ statusCode: status }); });
      },
    };
    if (!this.emitSafely('modify', offer, reply) && !replied) {
      replied = true;
      request.reject({ statusCode: 500 });
    }
  }

  /** RFC 3261 §14.2 / §13.3.1.4: a 2xx to a re-INVITE that is never ACKed ends the dialog as well. */
  private watchReInviteAck(request: IncomingInviteRequest, cseq: number, answerInAck: boolean): void {
    this.reinviteAck = { cseq, answerInAck };
    if (!(request instanceof UserAgentServer)) return;
    const transaction = request.transaction;
    const listener = (): void => {
      if (transaction.state !== TransactionState.Terminated) return;
      transaction.removeStateChangeListener(listener);
      if (this.reinviteAck?.cseq === cseq && this.state === SipDialogState.Confirmed) {
        this.guarded('re-INVITE ACK timeout', () => {
          this.logger.warn('no ACK for our 2xx to a re-INVITE; ending the call');
          this.byePromise = this.sendBye();
          this.end('ack-timeout');
        });
      }
    };
    transaction.addStateChangeListener(listener);
  }

  /** RFC 3261 §12.2.1.2: a 481 or 408 to an in-dialog request means the dialog is gone. */
  private afterFailedRequest(status: number): void {
    if (this.state === SipDialogState.Ended || (status !== 408 && status !== 481)) return;
    this.logger.info({ status }, 'in-dialog request got 408/481; ending the dialog');
    if (status === 408) this.byePromise = this.sendBye();
    this.end('transport-error');
  }

  private sendBye(): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const onClose = (): void => finish();
      const finish = (): void => {
        if (settled) return;
        settled = true;
        this.onEndpointClose.delete(onClose);
        resolve();
        this.unregisterIfIdle();
      };
      try {
        this.session.bye({
          onAccept: () => finish(),
          onReject: (response) => {
            this.logger.info({ status: response.message.statusCode }, 'BYE rejected');
            finish();
          },
          onRedirect: () => finish(),
        });
      } catch (error) {
        this.logger.warn({ err: error }, 'could not send BYE');
        finish();
        return;
      }
      this.onEndpointClose.add(onClose);
    });
  }

  /** End once: settle what waits on the dialog, emit `destroy`, leave the registry when nothing is outstanding. */
  private end(reason: DialogEndReason): void {
    if (this.state === SipDialogState.Ended) return;
    this.transition(SipDialogState.Ended, reason);
    if (this.confirmation || this.pendingModify) {
      // Only when someone waits: an Error captures a stack, and every call ends.
      const error = reason === 'closed' ? new SipClosedError('SIP endpoint') : new SipCallError(reason, `the call ended (${reason})`);
      this.confirmation?.reject(error);
      this.pendingModify?.(error);
    }
    this.confirmation = undefined;
    this.emitSafely('destroy', reason);
    this.unregisterIfIdle();
  }

  private unregisterIfIdle(): void {
    if (this.state === SipDialogState.Ended && this.onEndpointClose.size === 0) this.registry.delete(this);
  }

  private transition(next: SipDialogState, detail?: string): void {
    if (!LEGAL[this.state].includes(next)) {
      this.logger.error({ from: this.state, to: next }, 'illegal dialog state transition refused');
      return;
    }
    this.logger.debug({ from: this.state, to: next, detail }, 'dialog state');
    this.state = next;
  }

  private contactHeader(): string {
    return `Contact: ${this.session.userAgentCore.configuration.contact.toString()}`;
  }

  /** Emit without letting a listener's exception unwind into SIP.js; `false` if a listener threw. */
  private emitSafely<K extends keyof SipDialogEvents>(event: K, ...args: SipDialogEvents[K]): boolean {
    try {
      (this.emit as (event: K, ...args: SipDialogEvents[K]) => boolean)(event, ...args);
      return true;
    } catch (error) {
      this.logger.error({ err: error, event }, 'dialog event listener threw');
      return false;
    }
  }

  /** Run facade code called from SIP.js; log instead of throwing back into the core. */
  private guarded(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.error({ err: error }, `failure handling ${what}`);
    }
  }
}
