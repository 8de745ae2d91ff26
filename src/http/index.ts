export { startOpsServer } from './ops-server.js';
export type { HealthReport, OpsServer, OpsServerOptions } from './ops-server.js';
export { EWS_PATH, registerEws } from './ews/index.js';
export type { EwsOptions } from './ews/index.js';
export { AUTODISCOVER_POX_PATH, AUTODISCOVER_SOAP_PATH, registerAutodiscover } from './autodiscover/index.js';
export type { AutodiscoverOptions } from './autodiscover/index.js';
