import type { UMIPGateway } from '../../config/index.js';
import type { CallAddress, CallTarget, Directory } from '../../directory/index.js';
import { resolveCallTarget } from '../../directory/index.js';
import type { IncomingCall, SipAddress } from '../facade/facade-types.js';
import { parseAddressHeader } from '../facade/sip-address.js';
import type { GatewayTable } from './gateway-table.js';
import { orderHistoryInfo } from './history-info.js';

/** What openum does with a new INVITE. */
export type RoutingDecision =
  | { kind: 'accept'; gateway: UMIPGateway; target: CallTarget | { kind: 'test' } }
  | { kind: 'reject'; statusCode: number; reasonPhrase: string; why: string; gateway?: UMIPGateway };

/** What routing consults. */
export interface CallRouterContext {
  directory: Directory;
  gateways: GatewayTable;
  /** The test application's number (Server.TestExtension), if enabled. */
  testExtension?: string;
}

function toCallAddress(a: SipAddress): CallAddress {
  const phoneContext = a.params['phone-context'];
  return phoneContext === undefined ? { user: a.user, host: a.host } : { user: a.user, host: a.host, phoneContext };
}

function headerAddresses(call: IncomingCall, name: string): SipAddress[] {
  return call.header(name).flatMap((value) => {
    try {
      return parseAddressHeader(value);
    } catch {
      return []; // a malformed Diversion must not stop the call; the Request-URI still routes it
    }
  });
}

/**
 * Admission and target resolution for an INVITE (spec §3.1): the source must be a configured, enabled
 * gateway (403); the target comes from Diversion, History-Info, pilots or the Request-URI (404 when
 * nothing resolves). Capacity (503) is the caller's business: it knows the active calls.
 */
export function routeIncomingCall(call: IncomingCall, context: CallRouterContext): RoutingDecision {
  const gateway = context.gateways.findBySource(call.source.address);
  if (!gateway) return { kind: 'reject', statusCode: 403, reasonPhrase: 'Forbidden', why: `source ${call.source.address} is not a configured UM IP gateway` };
  if (gateway.Status !== 'Enabled') return { kind: 'reject', statusCode: 403, reasonPhrase: 'Forbidden', why: `UM IP gateway ${gateway.Name} is disabled`, gateway };
  if (context.testExtension !== undefined && call.requestUri.user === context.testExtension) {
    return { kind: 'accept', gateway, target: { kind: 'test' } };
  }
  // Diversion: most recent first. RFC 5806 puts the most recent diversion first in the header list.
  const diversions = headerAddresses(call, 'Diversion').map(toCallAddress);
  const historyInfo = orderHistoryInfo(headerAddresses(call, 'History-Info')).map(toCallAddress);
  const target = resolveCallTarget(context.directory, {
    requestUri: toCallAddress(call.requestUri),
    from: toCallAddress(call.from),
    diversions,
    historyInfo,
    gatewayDialPlans: gateway.UMDialPlans,
  });
  if (!target) return { kind: 'reject', statusCode: 404, reasonPhrase: 'Not Found', why: `no mailbox, pilot or auto attendant for ${call.requestUri.uri}`, gateway };
  return { kind: 'accept', gateway, target };
}
