import type { Logger } from 'pino';
import type { UserAgentServer } from 'sip.js/lib/core/index.js';
import { SipInvalidRequestError } from './call-facade-errors.js';
import type { SipAddress, SipBody, SipSource } from './facade-types.js';
import { bodyOf, extraHeaderLines, headerOf, renderBody } from './message-parts.js';
import { addressFromNameAddr, addressFromUri, requireUri } from './sip-address.js';

/** An out-of-dialog request other than INVITE and OPTIONS (NOTIFY, SUBSCRIBE, REFER, MESSAGE, …). */
export interface IncomingSipRequest {
  /** Method, upper case. */
  readonly method: string;
  readonly callId: string;
  readonly requestUri: SipAddress;
  readonly from: SipAddress;
  readonly to: SipAddress;
  readonly source: SipSource;
  /** The body with its type, if any. */
  readonly body: SipBody | undefined;
  /** All values of a header (case-insensitive name, compact forms too), in order. */
  header(name: string): string[];
  /** Sends the final response (200–699); later calls are ignored. */
  reply(statusCode: number, options?: { reasonPhrase?: string; headers?: Record<string, string>; body?: SipBody }): void;
  /** Whether a final response has been sent. */
  readonly replied: boolean;
}

/** {@link IncomingSipRequest} on a SIP.js non-INVITE user agent server. */
export class SipJsIncomingRequest implements IncomingSipRequest {
  /** Method, upper case. */
  readonly method: string;
  /** Call-ID. */
  readonly callId: string;
  /** Request-URI. */
  readonly requestUri: SipAddress;
  /** From. */
  readonly from: SipAddress;
  /** To. */
  readonly to: SipAddress;
  /** Where it came from. */
  readonly source: SipSource;
  /** Body, if any. */
  readonly body: SipBody | undefined;
  private sent = false;

  constructor(private readonly uas: UserAgentServer, source: SipSource, private readonly logger: Logger) {
    const message = uas.message;
    this.method = message.method.toUpperCase();
    this.callId = message.callId;
    this.requestUri = addressFromUri(requireUri(message.ruri));
    this.from = addressFromNameAddr(message.from);
    this.to = addressFromNameAddr(message.to);
    this.source = source;
    this.body = bodyOf(message);
  }

  /** Whether a final response has been sent. */
  get replied(): boolean {
    return this.sent;
  }

  /** All values of a header. */
  header(name: string): string[] {
    return headerOf(this.uas.message, name);
  }

  /** Sends the final response; ignored after the first. */
  reply(statusCode: number, options: { reasonPhrase?: string; headers?: Record<string, string>; body?: SipBody } = {}): void {
    if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 699) throw new SipInvalidRequestError(`reply() takes 200–699, not ${statusCode}`);
    if (options.reasonPhrase !== undefined && /[\r\n]/.test(options.reasonPhrase)) throw new SipInvalidRequestError('reason phrase contains CR or LF');
    const extraHeaders = extraHeaderLines(options.headers);
    if (this.sent) {
      this.logger.debug({ statusCode }, 'reply ignored: already answered');
      return;
    }
    this.sent = true;
    const responseOptions = {
      statusCode,
      extraHeaders,
      ...(options.reasonPhrase !== undefined ? { reasonPhrase: options.reasonPhrase } : {}),
      ...(options.body ? { body: renderBody(options.body) } : {}),
    };
    try {
      if (statusCode < 300) this.uas.accept(responseOptions);
      else if (statusCode < 400) this.uas.redirect([], responseOptions);
      else this.uas.reject(responseOptions);
    } catch (error) {
      this.logger.warn({ err: error, statusCode, method: this.method }, 'could not send the final response');
    }
  }
}
