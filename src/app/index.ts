export { loadConfigurationFile, validateConfigurationFile } from './validate-configuration.js';
export { CONFIGURATION_CHECKS, checkAutoAttendantTargets, checkDialingRules } from './configuration-checks.js';
export { ALL_DIAGNOSTIC_CODES } from './diagnostic-catalogue.js';
export { OpenumServer } from './server.js';
export type { OpenumServerOptions } from './server.js';
export { startNode } from './node.js';
export type { NodeOptions, RunningNode } from './node.js';
