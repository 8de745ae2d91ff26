export { EWS_PATH, registerEws } from './register-ews.js';
export type { EwsOptions } from './register-ews.js';
export { EwsFaultError, EwsResponseError, RESPONSE_CODE_OF_REFUSAL } from './ews-errors.js';
export type { EwsFaultCode, EwsResponseCode } from './ews-errors.js';
export { decodeEwsId, encodeEwsId } from './ews-ids.js';
export type { EwsIdKind } from './ews-ids.js';
export { EWS_MESSAGES, EWS_TYPES } from './ews-namespaces.js';
