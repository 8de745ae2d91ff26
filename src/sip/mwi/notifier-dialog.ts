import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Dialog, NonInviteClientTransaction, NonInviteServerTransaction, UserAgentClient, UserAgentServer } from 'sip.js/lib/core/index.js';
import type { IncomingRequestMessage, IncomingResponse, OutgoingRequestDelegate, UserAgentCore } from 'sip.js/lib/core/index.js';
import type { TimerScheduler } from '../timers/timer-scheduler.js';
import { extraHeaderLines, renderBody } from '../facade/message-parts.js';
import { SipInvalidRequestError } from '../facade/call-facade-errors.js';
import type { SipBody } from '../facade/facade-types.js';

/** Why a subscription ended (RFC 6665 `Subscription-State: terminated;reason=`). */
export type SubscriptionEndReason = 'timeout' | 'deactivated' | 'noresource' | 'rejected';

/** Events of a {@link SipSubscription}. */
export interface SipSubscriptionEvents {
  /** The subscriber refreshed (expires > 0): send the current state now (RFC 6665 §4.2.2). */
  refresh: [expires: number];
  /** The subscription ended (unsubscribe, expiry, local termination or endpoint close); once. */
  terminated: [reason: SubscriptionEndReason | 'closed'];
}

/** An accepted SUBSCRIBE dialog on the notifier side (RFC 6665), in facade types. */
export interface SipSubscription extends EventEmitter<SipSubscriptionEvents> {
  readonly callId: string;
  /** The event package (`message-summary`). */
  readonly event: string;
  /** When it expires unless refreshed. */
  readonly expiresAt: Date;
  /** Whether it has ended. */
  readonly terminated: boolean;
  /** Sends a NOTIFY with the state (`Subscription-State: active;expires=n`); resolves with the final status. */
  notify(body: SipBody): Promise<number>;
  /** Ends it with a final NOTIFY (`terminated;reason=…`, with `body` when given). Idempotent. */
  terminate(reason: SubscriptionEndReason, body?: SipBody): Promise<void>;
}

/** What a notifier dialog needs from the endpoint. */
export interface NotifierDialogContext {
  core: UserAgentCore;
  logger: Logger;
  timers: TimerScheduler;
  /** Largest expiry granted on refresh, seconds. */
  maxExpires: number;
  /** Live subscriptions, so the endpoint can end them on close. */
  live: Set<NotifierDialog>;
}

/**
 * The notifier side of a subscription as a SIP.js dialog: the core routes in-dialog requests here
 * (a refresh or un-SUBSCRIBE); NOTIFYs go out in the dialog; the expiry timer ends it with a final
 * NOTIFY `reason=timeout`. SIP.js core only ships the subscriber side.
 */
export class NotifierDialog extends Dialog {
  readonly facade: SubscriptionFacade;
  private expiryTimer: unknown;
  private ended = false;

  private constructor(
    message: IncomingRequestMessage,
    toTag: string,
    readonly event: string,
    expires: number,
    private readonly context: NotifierDialogContext,
  ) {
    super(context.core, Dialog.initialDialogStateForUserAgentServer(message, toTag));
    this.facade = new SubscriptionFacade(this);
    this.setExpiry(expires);
    context.live.add(this);
  }

  /** Accepts a new SUBSCRIBE (expires > 0) with 200 and creates the dialog. */
  static accept(uas: UserAgentServer, event: string, expires: number, context: NotifierDialogContext, headers: Record<string, string> = {}): NotifierDialog {
    const toTag = randomBytes(8).toString('hex');
    // RFC 3261 §12.1.1: the dialog-creating response copies Record-Route, so the subscriber's refreshes
    // take the proxies' path too (SIP.js does this for INVITE only).
    const recordRoutes = uas.message.getHeaders('record-route').map((value) => `Record-Route: ${value}`);
    // The dialog needs the subscriber's Contact; without one there is nowhere to NOTIFY: refuse before the 200.
    if (!uas.message.parseHeader('contact')?.uri) {
      uas.reject({ statusCode: 400, reasonPhrase: 'Missing Contact' });
      throw new SipInvalidRequestError('SUBSCRIBE without a usable Contact');
    }
    uas.accept({ statusCode: 200, toTag, extraHeaders: [...recordRoutes, `Expires: ${expires}`, `Contact: ${context.core.configuration.contact.toString()}`, ...extraHeaderLines(headers)] });
    return new NotifierDialog(uas.message, toTag, event, expires, context);
  }

  /** When it expires. */
  expiresAt = new Date();

  /** Whether it has ended. */
  get isTerminated(): boolean {
    return this.ended;
  }

  /** In-dialog requests: SUBSCRIBE refreshes and un-SUBSCRIBEs; anything else is not for a notifier. */
  override receiveRequest(message: IncomingRequestMessage): void {
    if (!this.sequenceGuard(message)) return;
    super.receiveRequest(message);
    const uas = new UserAgentServer(NonInviteServerTransaction, this.core, message);
    if (message.method !== 'SUBSCRIBE') {
      uas.reject({ statusCode: 405, extraHeaders: ['Allow: SUBSCRIBE'] });
      return;
    }
    const requested = Number(message.getHeader('expires') ?? this.context.maxExpires);
    const expires = Number.isFinite(requested) && requested >= 0 ? Math.min(Math.floor(requested), this.context.maxExpires) : this.context.maxExpires;
    const contact = message.parseHeader('contact');
    if (contact?.uri) this.dialogState.remoteTarget = contact.uri;
    uas.accept({ statusCode: 200, extraHeaders: [`Expires: ${expires}`, `Contact: ${this.core.configuration.contact.toString()}`] });
    if (expires === 0) {
      // RFC 6665 §4.2.1.4: an un-SUBSCRIBE still gets a final NOTIFY; the facade's owner supplies the state.
      this.facade.emit('refresh', 0);
      return;
    }
    this.setExpiry(expires);
    this.facade.emit('refresh', expires);
  }

  /** Sends one NOTIFY in the dialog. */
  sendNotify(state: string, body: SipBody | undefined): Promise<number> {
    return new Promise<number>((resolve) => {
      const done = (response: IncomingResponse) => {
        const status = response.message.statusCode ?? 0;
        // 481: the subscriber forgot the dialog (RFC 6665 §4.2.2): it is over.
        if (status === 481) this.end('noresource');
        resolve(status);
      };
      const delegate: OutgoingRequestDelegate = { onAccept: done, onReject: done, onRedirect: done };
      try {
        const message = this.createOutgoingRequestMessage('NOTIFY', {
          extraHeaders: [`Event: ${this.event}`, `Subscription-State: ${state}`, `Contact: ${this.core.configuration.contact.toString()}`],
          ...(body ? { body: renderBody(body) } : {}),
        });
        new UserAgentClient(NonInviteClientTransaction, this.core, message, delegate);
      } catch (error) {
        this.context.logger.warn({ err: error, callId: this.callId }, 'could not send NOTIFY');
        resolve(0);
      }
    });
  }

  /** Seconds left before expiry (at least 0). */
  secondsLeft(): number {
    return Math.max(0, Math.round((this.expiresAt.getTime() - Date.now()) / 1000));
  }

  /** Forgets the dialog (no more NOTIFYs) and tells the facade's listeners. */
  end(reason: SubscriptionEndReason | 'closed'): void {
    if (this.ended) return;
    this.ended = true;
    this.context.timers.clearTimeout(this.expiryTimer);
    this.context.live.delete(this);
    this.dispose();
    this.facade.emit('terminated', reason);
  }

  private setExpiry(expires: number): void {
    this.context.timers.clearTimeout(this.expiryTimer);
    this.expiresAt = new Date(Date.now() + expires * 1000);
    // Expires 0 (a one-time fetch): the owner sends the final NOTIFY with the state; a timer would race it.
    if (expires === 0) return;
    this.expiryTimer = this.context.timers.setTimeout(() => {
      void this.facade.terminate('timeout').catch((error: unknown) => this.context.logger.warn({ err: error }, 'subscription expiry failed'));
    }, expires * 1000);
  }
}

/** The {@link SipSubscription} face of a {@link NotifierDialog}. */
class SubscriptionFacade extends EventEmitter<SipSubscriptionEvents> implements SipSubscription {
  constructor(private readonly dialog: NotifierDialog) {
    super();
  }

  get callId(): string {
    return this.dialog.callId;
  }

  get event(): string {
    return this.dialog.event;
  }

  get expiresAt(): Date {
    return this.dialog.expiresAt;
  }

  get terminated(): boolean {
    return this.dialog.isTerminated;
  }

  notify(body: SipBody): Promise<number> {
    if (this.dialog.isTerminated) return Promise.resolve(0);
    return this.dialog.sendNotify(`active;expires=${this.dialog.secondsLeft()}`, body);
  }

  async terminate(reason: SubscriptionEndReason, body?: SipBody): Promise<void> {
    if (this.dialog.isTerminated) return;
    const sent = this.dialog.sendNotify(`terminated;reason=${reason}`, body);
    this.dialog.end(reason);
    await sent;
  }
}
