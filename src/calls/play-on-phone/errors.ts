import { OpenumError } from '../../errors.js';

/**
 * Why Play on Phone refused a request. The same string literals as http/'s `UmRefusal` (which calls/
 * may not import), so the app layer maps one onto the other without a table; each becomes one EWS
 * ResponseCode (spec §8.1).
 */
export type PlayOnPhoneRefusal =
  | 'invalid-phone-number' // the dialing rules do not allow the number
  | 'phone-number-not-dialable' // empty or malformed
  | 'invalid-sip-uri'
  | 'invalid-phone-call-id'
  | 'user-not-um-enabled' // also: AllowPlayOnPhone or PlayOnPhoneEnabled is off
  | 'dial-plan-not-found'
  | 'request-failed' // a call already in progress, no outcall gateway, audio unreadable
  | 'item-not-found';

/** Stable error code of each refusal. */
export const PLAY_ON_PHONE_REFUSAL_CODES: Readonly<Record<PlayOnPhoneRefusal, string>> = {
  'invalid-phone-number': 'OPENUM_POP_INVALID_PHONE_NUMBER',
  'phone-number-not-dialable': 'OPENUM_POP_PHONE_NUMBER_NOT_DIALABLE',
  'invalid-sip-uri': 'OPENUM_POP_INVALID_SIP_URI',
  'invalid-phone-call-id': 'OPENUM_POP_INVALID_PHONE_CALL_ID',
  'user-not-um-enabled': 'OPENUM_POP_USER_NOT_UM_ENABLED',
  'dial-plan-not-found': 'OPENUM_POP_DIAL_PLAN_NOT_FOUND',
  'request-failed': 'OPENUM_POP_REQUEST_FAILED',
  'item-not-found': 'OPENUM_POP_ITEM_NOT_FOUND',
};

/** A Play on Phone request was refused before any INVITE was sent. */
export class PlayOnPhoneRefusedError extends OpenumError {
  /** Why, for the EWS/JSON error mapping. */
  readonly refusal: PlayOnPhoneRefusal;

  constructor(refusal: PlayOnPhoneRefusal, message: string, options: { cause?: unknown } = {}) {
    super(PLAY_ON_PHONE_REFUSAL_CODES[refusal], message, options);
    this.refusal = refusal;
  }
}

/** A phone call was asked to move between states spec §8 does not connect (a bug, not a peer's doing). */
export class PlayOnPhoneStateError extends OpenumError {
  constructor(readonly from: string, readonly to: string) {
    super('OPENUM_POP_INVALID_STATE', `a Play on Phone call cannot go from ${from} to ${to}`);
  }
}

/** The Play on Phone service was used after close(). */
export class PlayOnPhoneClosedError extends OpenumError {
  constructor() {
    super('OPENUM_POP_CLOSED', 'the Play on Phone service is closed');
  }
}
