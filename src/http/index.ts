export { startOpsServer } from './ops-server.js';
export type { HealthReport, OpsServer, OpsServerOptions } from './ops-server.js';
export { UmBackendError } from './um-backend.js';
export type {
  UnifiedMessagingBackend,
  UmUser,
  VoiceMessageSummary,
  VoiceMessageAudio,
  PhoneCallState,
  ConnectionFailureCause,
  PhoneCallInformation,
  UmConfigurationInfo,
  UmRefusal,
} from './um-backend.js';
export { EWS_PATH, registerEws } from './ews/index.js';
export type { EwsOptions } from './ews/index.js';
export { AUTODISCOVER_POX_PATH, AUTODISCOVER_SOAP_PATH, registerAutodiscover } from './autodiscover/index.js';
export type { AutodiscoverOptions } from './autodiscover/index.js';
export { HttpAuthenticator, registerAuthenticationThrottle, userNameResolver, AuthenticationThrottledError } from './auth/index.js';
export type { CredentialVerifier, HttpAuthenticatorOptions, FailureLimits, FindUserByName } from './auth/index.js';
export { JSON_API_PREFIX, registerJsonApi } from './api/index.js';
export type { JsonApiOptions } from './api/index.js';
