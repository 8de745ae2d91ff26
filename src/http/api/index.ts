export { registerJsonApi, JSON_API_PREFIX } from './register-json-api.js';
export type { JsonApiOptions } from './register-json-api.js';
export { ApiError, HTTP_STATUS_OF_REFUSAL, toApiError } from './api-errors.js';
export type { ApiErrorCode } from './api-errors.js';
export { OPENAPI_DOCUMENT } from './openapi.js';
export type { PhoneCallJson, VoiceMessageJson } from './message-to-json.js';
