import { OpenumError } from '../../errors.js';
import type { UmRefusal } from '../um-backend.js';

/** The EWS ResponseCodes openum answers with (a subset of the ResponseCodeType enumeration). */
export type EwsResponseCode =
  | 'NoError'
  | 'ErrorInvalidPhoneNumber'
  | 'ErrorPhoneNumberNotDialable'
  | 'ErrorInvalidSIPUri'
  | 'ErrorInvalidPhoneCallId'
  | 'ErrorUserNotUnifiedMessagingEnabled'
  | 'ErrorUnifiedMessagingDialPlanNotFound'
  | 'ErrorUnifiedMessagingRequestFailed'
  | 'ErrorItemNotFound'
  | 'ErrorInvalidIdMalformed'
  | 'ErrorFolderNotFound'
  | 'ErrorInvalidOperation'
  | 'ErrorUnsupportedQueryFilter'
  | 'ErrorInternalServerError';

/** The one place a backend refusal becomes an EWS ResponseCode (spec §8.1, um-backend.ts). */
export const RESPONSE_CODE_OF_REFUSAL: Readonly<Record<UmRefusal, EwsResponseCode>> = {
  'invalid-phone-number': 'ErrorInvalidPhoneNumber',
  'phone-number-not-dialable': 'ErrorPhoneNumberNotDialable',
  'invalid-sip-uri': 'ErrorInvalidSIPUri',
  'invalid-phone-call-id': 'ErrorInvalidPhoneCallId',
  'user-not-um-enabled': 'ErrorUserNotUnifiedMessagingEnabled',
  'dial-plan-not-found': 'ErrorUnifiedMessagingDialPlanNotFound',
  'request-failed': 'ErrorUnifiedMessagingRequestFailed',
  'item-not-found': 'ErrorItemNotFound',
};

/**
 * A failure that EWS reports inside the response message (`ResponseClass="Error"`, HTTP 200): the request
 * was understood but this item or call could not be served.
 */
export class EwsResponseError extends OpenumError {
  constructor(readonly responseCode: EwsResponseCode, message: string, options: { cause?: unknown } = {}) {
    super(`OPENUM_EWS_${responseCode.replace(/^Error/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`, message, options);
  }
}

/**
 * A request EWS rejects as a whole with a SOAP fault (HTTP 500): not XML, not SOAP 1.1, an unknown
 * operation, or a body that breaks the schema. `faultCode` is an EWS code (types namespace) or a SOAP one.
 */
export class EwsFaultError extends OpenumError {
  constructor(readonly faultCode: EwsFaultCode, message: string, options: { cause?: unknown } = {}) {
    super(`OPENUM_EWS_FAULT_${faultCode.replace(/^Error/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`, message, { ...options, httpStatus: 500 });
  }
}

/** Fault codes: `VersionMismatch`/`Client`/`Server` are SOAP's own, the rest EWS's. */
export type EwsFaultCode =
  | 'VersionMismatch'
  | 'ErrorSchemaValidation'
  | 'ErrorInvalidRequest'
  | 'ErrorImpersonationDenied'
  | 'ErrorInternalServerError';

/** Message texts as Exchange 2010 words them, for codes raised by the protocol layer itself. */
export const DEFAULT_MESSAGE_TEXT: Readonly<Partial<Record<EwsResponseCode, string>>> = {
  ErrorItemNotFound: 'The specified object was not found in the store.',
  ErrorInvalidIdMalformed: 'Id is malformed.',
  ErrorFolderNotFound: 'The specified folder could not be found in the store.',
  ErrorInvalidPhoneCallId: 'The phone call ID is invalid.',
  ErrorInternalServerError: 'An internal server error occurred. The operation failed.',
};
