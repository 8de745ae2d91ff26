import type { Logger } from 'pino';
import type { InviteUserAgentServer } from 'sip.js/lib/core/index.js';
import { canStillReject } from '../core/application-delegate.js';
import { SipClosedError } from '../errors.js';
import { SipCallError, SipDialogStateError, SipInvalidRequestError } from './call-facade-errors.js';
import type { CallRegistry } from './call-registry.js';
import type { IncomingCall, SipAddress, SipDialog, SipSource } from './facade-types.js';
import { extraHeaderLines, headerOf, sdpOf, sessionBody } from './message-parts.js';
import { addressFromNameAddr, addressFromUri, requireUri } from './sip-address.js';
import { SipJsDialog } from './sip-dialog.js';

/** Where an incoming call stands; only forward moves are legal. */
export enum IncomingCallState {
  /** Ringing: no final response yet. */
  Offered = 'offered',
  /** 200 sent, ACK awaited. */
  Answering = 'answering',
  /** ACK received; the dialog is the application's. */
  Answered = 'answered',
  /** We sent a 3xx–6xx. */
  Rejected = 'rejected',
  /** The caller sent CANCEL (487 sent). */
  Cancelled = 'cancelled',
  /** Answered, but the dialog ended before the ACK (ACK timeout, BYE, endpoint closed). */
  Failed = 'failed',
}

const LEGAL: Readonly<Record<IncomingCallState, readonly IncomingCallState[]>> = {
  [IncomingCallState.Offered]: [IncomingCallState.Answering, IncomingCallState.Rejected, IncomingCallState.Cancelled],
  [IncomingCallState.Answering]: [IncomingCallState.Answered, IncomingCallState.Failed],
  [IncomingCallState.Answered]: [],
  [IncomingCallState.Rejected]: [],
  [IncomingCallState.Cancelled]: [],
  [IncomingCallState.Failed]: [],
};

/** What an incoming call needs from its listener and endpoint. */
export interface IncomingCallContext {
  /** Where the INVITE came from. */
  source: SipSource;
  /** Logger (the call adds its Call-ID). */
  logger: Logger;
  /** The endpoint's live calls. */
  registry: CallRegistry;
}

/** {@link IncomingCall} on a SIP.js INVITE user agent server. */
export class SipJsIncomingCall implements IncomingCall {
  /** Call-ID. */
  readonly callId: string;
  /** Request-URI (after tel: rewriting: `sip:…;user=phone`). */
  readonly requestUri: SipAddress;
  /** From, with its header parameters (`tag`). */
  readonly from: SipAddress;
  /** To. */
  readonly to: SipAddress;
  /** Where the INVITE came from. */
  readonly source: SipSource;
  /** The SDP offer, or undefined for an offer-less INVITE. */
  readonly sdpOffer: string | undefined;
  private state = IncomingCallState.Offered;
  private readonly cancelListeners: Array<() => void> = [];
  private readonly logger: Logger;

  constructor(private readonly uas: InviteUserAgentServer, private readonly context: IncomingCallContext) {
    const message = uas.message;
    this.callId = message.callId;
    this.requestUri = addressFromUri(requireUri(message.ruri));
    this.from = addressFromNameAddr(message.from);
    this.to = addressFromNameAddr(message.to);
    this.source = context.source;
    this.sdpOffer = sdpOf(message);
    this.logger = context.logger.child({ callId: this.callId });
    uas.delegate = { onCancel: () => this.receiveCancel() };
  }

  /** Whether the caller cancelled before a final response. */
  get cancelled(): boolean {
    return this.state === IncomingCallState.Cancelled;
  }

  /** Current state (for logs and tests). */
  get callState(): IncomingCallState {
    return this.state;
  }

  /** All values of a header (any case, compact forms too), one per header line. */
  header(name: string): string[] {
    return headerOf(this.uas.message, name);
  }

  /** Sends 180 or 183 (optionally with early-media SDP); ignored once a final response is out. */
  progress(statusCode: 180 | 183, options: { sdp?: string } = {}): void {
    if (statusCode !== 180 && statusCode !== 183) throw new SipInvalidRequestError(`progress() takes 180 or 183, not ${String(statusCode)}`);
    if (this.state !== IncomingCallState.Offered) {
      this.logger.debug({ state: this.state, statusCode }, 'progress ignored: no longer ringing');
      return;
    }
    try {
      this.uas.progress({ statusCode, ...(options.sdp !== undefined ? { body: sessionBody(options.sdp) } : {}) });
    } catch (error) {
      this.logger.warn({ err: error, statusCode }, 'could not send a provisional response');
    }
  }

  /** Answers 200 with our SDP; resolves with the dialog on the ACK. */
  accept(options: { sdp: string; headers?: Record<string, string> }): Promise<SipDialog> {
    if (this.context.registry.closed) return Promise.reject(new SipClosedError('SIP endpoint'));
    if (this.state === IncomingCallState.Cancelled) return Promise.reject(new SipCallError('cancelled', 'the caller cancelled'));
    if (this.state !== IncomingCallState.Offered) return Promise.reject(new SipDialogStateError(`cannot accept a call in state ${this.state}`));
    let session;
    try {
      const extraHeaders = extraHeaderLines(options.headers);
      session = this.uas.accept({ statusCode: 200, body: sessionBody(options.sdp), extraHeaders }).session;
    } catch (error) {
      return Promise.reject(error instanceof SipInvalidRequestError ? error : new SipDialogStateError('the SIP core refused the 200 OK', error));
    }
    this.transition(IncomingCallState.Answering);
    const dialog = new SipJsDialog({
      session,
      localSdp: options.sdp,
      remoteSdp: this.sdpOffer ?? '',
      awaitingAck: true,
      answerInAck: this.sdpOffer === undefined,
      logger: this.logger,
      registry: this.context.registry,
    });
    return dialog.confirmed.then(
      () => {
        this.transition(IncomingCallState.Answered);
        return dialog;
      },
      (error: unknown) => {
        this.transition(IncomingCallState.Failed);
        throw error;
      },
    );
  }

  /** Sends a 3xx–6xx final response; ignored once a final response is out. */
  reject(statusCode: number, options: { reasonPhrase?: string; headers?: Record<string, string> } = {}): void {
    if (!Number.isInteger(statusCode) || statusCode < 300 || statusCode > 699) throw new SipInvalidRequestError(`reject() takes 300–699, not ${statusCode}`);
    if (options.reasonPhrase !== undefined && /[\r\n]/.test(options.reasonPhrase)) throw new SipInvalidRequestError('reason phrase contains CR or LF');
    const extraHeaders = extraHeaderLines(options.headers);
    if (this.state !== IncomingCallState.Offered) {
      this.logger.debug({ state: this.state, statusCode }, 'reject ignored: a final response was already sent');
      return;
    }
    const responseOptions = { statusCode, extraHeaders, ...(options.reasonPhrase !== undefined ? { reasonPhrase: options.reasonPhrase } : {}) };
    try {
      // The core's reject() takes 4xx–6xx only; redirect() is its 3xx path (Contact comes from the headers).
      if (statusCode < 400) this.uas.redirect([], responseOptions);
      else this.uas.reject(responseOptions);
    } catch (error) {
      this.logger.warn({ err: error, statusCode }, 'could not send the final response');
      return;
    }
    this.transition(IncomingCallState.Rejected);
  }

  /** Calls `listener` once if the caller cancels (at once, soon, if it already has). */
  onCancel(listener: () => void): void {
    if (this.state === IncomingCallState.Cancelled) queueMicrotask(() => this.callCancelListener(listener));
    else this.cancelListeners.push(listener);
  }

  /**
   * Called by the core, inside its CANCEL handling, before the listener sends 487 (RFC 3261 §9.2). The
   * application hears of it a microtask later, when the 487 is out; if nobody sent one, it is sent here.
   */
  private receiveCancel(): void {
    if (this.state !== IncomingCallState.Offered) return;
    this.transition(IncomingCallState.Cancelled);
    queueMicrotask(() => {
      try {
        if (canStillReject(this.uas)) this.uas.reject({ statusCode: 487 });
      } catch (error) {
        this.logger.warn({ err: error }, 'could not answer 487 to the cancelled INVITE');
      }
      for (const listener of this.cancelListeners.splice(0)) this.callCancelListener(listener);
    });
  }

  private callCancelListener(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.logger.error({ err: error }, 'cancel listener threw');
    }
  }

  private transition(next: IncomingCallState): void {
    if (!LEGAL[this.state].includes(next)) {
      this.logger.error({ from: this.state, to: next }, 'illegal call state transition refused');
      return;
    }
    this.logger.debug({ from: this.state, to: next }, 'incoming call state');
    this.state = next;
  }
}
