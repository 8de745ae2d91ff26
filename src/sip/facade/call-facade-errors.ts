import { OpenumError } from '../../errors.js';
import type { DialogEndReason, OutboundFailure } from './facade-types.js';

/** An outbound call was not answered: the peer's final non-2xx (3xx included), Timer B, or our no-answer CANCEL. */
export class SipCallFailedError extends OpenumError {
  /** Status, reason phrase and whether our no-answer timeout fired. */
  readonly failure: OutboundFailure;

  constructor(failure: OutboundFailure, cause?: unknown) {
    super('OPENUM_SIP_CALL_FAILED', `outbound call failed: ${failure.statusCode} ${failure.reasonPhrase}${failure.noAnswer ? ' (no answer)' : ''}`, { cause });
    this.failure = failure;
  }
}

/** A call ended before it could be used, e.g. `accept()` when the caller cancelled or never sent the ACK. */
export class SipCallError extends OpenumError {
  /** Why the call ended. */
  readonly reason: DialogEndReason;

  constructor(reason: DialogEndReason, message: string, cause?: unknown) {
    super('OPENUM_SIP_CALL_ENDED', message, { cause });
    this.reason = reason;
  }
}

/** A call or dialog method was used in a state that does not allow it (e.g. `modify()` after `destroy()`). */
export class SipDialogStateError extends OpenumError {
  constructor(message: string, cause?: unknown) {
    super('OPENUM_SIP_DIALOG_STATE', message, { cause });
  }
}

/** The application asked for something SIP forbids (a 200 through `reject()`, BYE through `request()`, CRLF in a header). */
export class SipInvalidRequestError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_SIP_INVALID_REQUEST', message);
  }
}

/** An in-dialog request we sent (re-INVITE) got a final non-2xx response, or a 2xx without the answer it needed. */
export class SipRequestFailedError extends OpenumError {
  /** The peer's final status (408 for Timer B/F, 503 for a transport failure). */
  readonly statusCode: number;
  /** The peer's reason phrase. */
  readonly reasonPhrase: string;

  constructor(method: string, statusCode: number, reasonPhrase: string) {
    super('OPENUM_SIP_REQUEST_FAILED', `${method} failed: ${statusCode} ${reasonPhrase}`, { sipStatus: statusCode });
    this.statusCode = statusCode;
    this.reasonPhrase = reasonPhrase;
  }
}

/** A name-addr or URI could not be parsed. */
export class SipAddressParseError extends OpenumError {
  /** The offending text (truncated to 200 characters). */
  readonly got: string;

  constructor(got: string, message: string) {
    super('OPENUM_SIP_ADDRESS_PARSE', message, { sipStatus: 400 });
    this.got = got.slice(0, 200);
  }
}
