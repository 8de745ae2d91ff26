import type { Logger } from 'pino';
import type { UserAgentServer } from 'sip.js/lib/core/index.js';
import { SipInvalidRequestError } from '../facade/call-facade-errors.js';
import type { SipAddress, SipSource } from '../facade/facade-types.js';
import { extraHeaderLines, headerOf } from '../facade/message-parts.js';
import { addressFromNameAddr, addressFromUri, requireUri } from '../facade/sip-address.js';
import { NotifierDialog } from './notifier-dialog.js';
import type { NotifierDialogContext, SipSubscription } from './notifier-dialog.js';

/** A new out-of-dialog SUBSCRIBE, before the application accepted or refused it. */
export interface IncomingSubscription {
  readonly callId: string;
  /** The event package, lower case, without parameters (`message-summary`); '' when Event is missing. */
  readonly event: string;
  readonly requestUri: SipAddress;
  readonly from: SipAddress;
  readonly to: SipAddress;
  readonly source: SipSource;
  /** The Expires the subscriber asked for, seconds; undefined when absent. */
  readonly requestedExpires: number | undefined;
  /** All values of a header (case-insensitive name), in order. */
  header(name: string): string[];
  /**
   * Answers 200 with `Expires: expires` (at most the endpoint's maximum) and returns the subscription.
   * RFC 6665 wants a NOTIFY at once: call `notify` (or `terminate` for `expires` 0, a one-time fetch).
   */
  accept(options: { expires: number; headers?: Record<string, string> }): SipSubscription;
  /** Refuses it (403, 404, 489 …). */
  reject(statusCode: number, options?: { reasonPhrase?: string; headers?: Record<string, string> }): void;
}

/** {@link IncomingSubscription} over a SIP.js user agent server. */
export class SipJsIncomingSubscription implements IncomingSubscription {
  readonly callId: string;
  readonly event: string;
  readonly requestUri: SipAddress;
  readonly from: SipAddress;
  readonly to: SipAddress;
  readonly requestedExpires: number | undefined;
  private answered = false;

  constructor(private readonly uas: UserAgentServer, readonly source: SipSource, private readonly context: NotifierDialogContext & { logger: Logger }) {
    const message = uas.message;
    this.callId = message.callId;
    this.event = (message.getHeader('event') ?? message.getHeader('o') ?? '').split(';')[0]!.trim().toLowerCase();
    this.requestUri = addressFromUri(requireUri(message.ruri));
    this.from = addressFromNameAddr(message.from);
    this.to = addressFromNameAddr(message.to);
    const expires = message.getHeader('expires');
    const n = expires === undefined ? NaN : Number(expires.trim());
    this.requestedExpires = Number.isInteger(n) && n >= 0 ? n : undefined;
  }

  header(name: string): string[] {
    return headerOf(this.uas.message, name);
  }

  accept(options: { expires: number; headers?: Record<string, string> }): SipSubscription {
    if (this.answered) throw new SipInvalidRequestError('the SUBSCRIBE was already answered');
    this.answered = true;
    const expires = Math.max(0, Math.min(Math.floor(options.expires), this.context.maxExpires));
    return NotifierDialog.accept(this.uas, this.event, expires, this.context, options.headers).facade;
  }

  reject(statusCode: number, options: { reasonPhrase?: string; headers?: Record<string, string> } = {}): void {
    if (this.answered) return;
    if (!Number.isInteger(statusCode) || statusCode < 300 || statusCode > 699) throw new SipInvalidRequestError(`reject() takes 300–699, not ${statusCode}`);
    this.answered = true;
    try {
      this.uas.reject({ statusCode, extraHeaders: extraHeaderLines(options.headers), ...(options.reasonPhrase ? { reasonPhrase: options.reasonPhrase } : {}) });
    } catch (error) {
      this.context.logger.warn({ err: error, statusCode }, 'could not refuse the SUBSCRIBE');
    }
  }
}
