export { HttpAuthenticator, registerAuthenticationThrottle, sendThrottled, AUTH_REALM, WWW_AUTHENTICATE_CHALLENGES } from './http-authenticator.js';
export type { CredentialVerifier, HttpAuthenticatorOptions } from './http-authenticator.js';
export { AuthenticationThrottledError } from './auth-errors.js';
export { parseAuthorizationHeader } from './authorization-header.js';
export type { PresentedCredentials } from './authorization-header.js';
export { userNameResolver } from './user-name.js';
export type { FindUserByName } from './user-name.js';
export { FailureLimiter, DEFAULT_FAILURE_LIMITS } from './failure-limiter.js';
export type { FailureLimits } from './failure-limiter.js';
