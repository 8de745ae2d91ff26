export { startOpsServer } from './ops-server.js';
export type { HealthReport, OpsServer, OpsServerOptions } from './ops-server.js';
