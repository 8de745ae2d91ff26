export { createCoreConfiguration } from './core-configuration.js';
export type { CoreConfigurationOptions, TargetResolver } from './core-configuration.js';
export { createPinoLoggerFactory } from './pino-logger-factory.js';
export { capabilityHeaders, inspectRequest } from './request-policy.js';
export type { InspectedRequest, PolicyDecision, RequestPolicyOptions } from './request-policy.js';
export { canStillReject, wrapApplicationDelegate } from './application-delegate.js';
