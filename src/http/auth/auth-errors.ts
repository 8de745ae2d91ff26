import { OpenumError } from '../../errors.js';

/**
 * Too many failed authentication attempts from this client or for this user name: answer HTTP 429 with
 * `Retry-After: retryAfterSeconds`. Raised by {@link HttpAuthenticator.assertNotThrottled}.
 */
export class AuthenticationThrottledError extends OpenumError {
  constructor(readonly retryAfterSeconds: number) {
    super('OPENUM_HTTP_AUTH_THROTTLED', `Too many failed sign-in attempts; try again in ${retryAfterSeconds} s.`, { httpStatus: 429 });
  }
}
