import { OpenumError } from '../errors.js';

/** The call ended (hang-up, timeout) while an operation was waiting on it. */
export class CallEndedError extends OpenumError {
  constructor(readonly reason: string) {
    super('OPENUM_CALLS_ENDED', `the call ended (${reason})`);
  }
}

/** The INVITE could not be answered (no common codec, caller cancelled, no ACK). */
export class CallAnswerError extends OpenumError {
  constructor(message: string, options: { sipStatus?: number; cause?: unknown } = {}) {
    super('OPENUM_CALLS_ANSWER_FAILED', message, options);
  }
}
