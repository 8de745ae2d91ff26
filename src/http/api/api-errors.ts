import { OpenumError } from '../../errors.js';
import type { UmRefusal } from '../um-backend.js';
import { UmBackendError } from '../um-backend.js';

/** The error codes of the JSON API's `{ error: { code, message } }` (a refusal's code is the refusal itself). */
export type ApiErrorCode =
  | UmRefusal
  | 'bad-request'
  | 'unauthorized'
  | 'too-many-attempts'
  | 'not-found'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'internal-error';

/**
 * HTTP status of each backend refusal: not found (including another user's ids) → 404; not allowed for
 * this user → 403; a dial string the rules or the syntax refuse → 422 (the body itself was valid, 400 is
 * kept for bodies that break the schema); the server cannot do it now (a call already in progress, no
 * gateway, no dial plan) → 409.
 */
export const HTTP_STATUS_OF_REFUSAL: Readonly<Record<UmRefusal, number>> = {
  'item-not-found': 404,
  'invalid-phone-call-id': 404,
  'user-not-um-enabled': 403,
  'invalid-phone-number': 422,
  'phone-number-not-dialable': 422,
  'invalid-sip-uri': 422,
  'dial-plan-not-found': 409,
  'request-failed': 409,
};

/** A JSON API failure with its HTTP status and wire code. */
export class ApiError extends OpenumError {
  constructor(readonly status: number, readonly apiCode: ApiErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(`OPENUM_API_${apiCode.toUpperCase().replace(/-/g, '_')}`, message, { ...options, httpStatus: status });
  }
}

/** The one place any error becomes a JSON API answer (backend refusals, fastify's own 4xx, the rest 500). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof UmBackendError) return new ApiError(HTTP_STATUS_OF_REFUSAL[error.refusal], error.refusal, error.message, { cause: error });
  const status = statusOf(error);
  if (status === 415) return new ApiError(415, 'unsupported-media-type', 'The request body must be application/json.', { cause: error });
  if (status === 413) return new ApiError(413, 'payload-too-large', 'The request body is too large.', { cause: error });
  if (status !== undefined && status >= 400 && status < 500) {
    return new ApiError(status, status === 404 ? 'not-found' : 'bad-request', error instanceof Error ? error.message : 'The request is invalid.', { cause: error });
  }
  return new ApiError(500, 'internal-error', 'An internal server error occurred.', { cause: error });
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof OpenumError && error.httpStatus !== undefined) return error.httpStatus;
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = Number((error as { statusCode: unknown }).statusCode);
    return Number.isInteger(status) ? status : undefined;
  }
  return undefined;
}
