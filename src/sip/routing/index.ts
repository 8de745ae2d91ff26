export { GatewayTable, systemAddressLookup } from './gateway-table.js';
export type { AddressLookup } from './gateway-table.js';
export { routeIncomingCall } from './call-router.js';
export type { CallRouterContext, RoutingDecision } from './call-router.js';
export { orderHistoryInfo } from './history-info.js';
