import { OpenumError } from '../errors.js';

/** A listener could not be opened (port in use, bad address, TLS material missing). */
export class SipListenError extends OpenumError {
  constructor(message: string, cause?: unknown) {
    super('OPENUM_SIP_LISTEN', message, { cause });
  }
}

/** A message could not be handed to the network (no route, connection failed, socket closed). */
export class SipTransportError extends OpenumError {
  constructor(message: string, cause?: unknown) {
    super('OPENUM_SIP_TRANSPORT', message, { cause, sipStatus: 503 });
  }
}

/** A stream (TCP/TLS) carried bytes that cannot be framed into SIP messages (RFC 3261 §18.3). */
export class SipFramingError extends OpenumError {
  /** What was found, e.g. the offending Content-Length text. */
  readonly got: string;

  constructor(message: string, got: string) {
    super('OPENUM_SIP_FRAMING', message, { sipStatus: 400 });
    this.got = got;
  }
}

/** A message exceeded the configured size cap. */
export class SipMessageTooLargeError extends OpenumError {
  /** Size seen, in bytes. */
  readonly got: number;
  /** The cap, in bytes. */
  readonly need: number;

  constructor(got: number, need: number) {
    super('OPENUM_SIP_MESSAGE_TOO_LARGE', `SIP message of ${got} bytes exceeds the cap of ${need}`, { sipStatus: 513 });
    this.got = got;
    this.need = need;
  }
}

/** An endpoint or transport was used after `close()`. */
export class SipClosedError extends OpenumError {
  constructor(what: string) {
    super('OPENUM_SIP_CLOSED', `${what} is closed`);
  }
}
