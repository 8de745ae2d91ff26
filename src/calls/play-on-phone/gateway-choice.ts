// Which UM IP gateways may carry a Play on Phone INVITE (spec §8 step 4), and the Request-URI each gets.
import type { UMIPGateway } from '../../config/index.js';
import type { TransportProtocol } from '../../sip/index.js';

/** A gateway as the outbound INVITE needs it. */
export interface OutcallGateway {
  /** The gateway's Name, for logs. */
  name: string;
  /** Where the INVITE goes. */
  via: { address: string; port: number; protocol: TransportProtocol };
}

const PROTOCOLS: Readonly<Record<UMIPGateway['Transport'], TransportProtocol>> = { UDP: 'udp', TCP: 'tcp', TLS: 'tls' };
const DEFAULT_PORTS: Readonly<Record<TransportProtocol, number>> = { udp: 5060, tcp: 5060, tls: 5061 };

/**
 * The enabled gateways with OutcallsAllowed that serve the dial plan (listed in their UMDialPlans),
 * in configuration order — the order they are tried in.
 */
export function outcallGateways(gateways: readonly UMIPGateway[], dialPlanName: string): OutcallGateway[] {
  const plan = dialPlanName.toLowerCase();
  return gateways
    .filter((g) => g.OutcallsAllowed && g.Status === 'Enabled' && g.UMDialPlans.some((name) => name.toLowerCase() === plan))
    .map((g) => ({ name: g.Name, via: { address: g.Address, port: g.Port, protocol: PROTOCOLS[g.Transport] } }));
}

/**
 * The Request-URI for a dialed string through a gateway: a SIP URI goes as it is (with `sip:` added
 * when the user typed none); digits become `sip:<digits>@<gateway>[:port];user=phone`. The port is
 * written when it is not the transport's default, so the URI itself leads to the gateway and no
 * pre-loaded Route is needed.
 */
export function requestUriFor(dialed: string, gateway: OutcallGateway): string {
  if (dialed.includes('@') || /^sips?:/i.test(dialed)) return /^sips?:/i.test(dialed) ? dialed : `sip:${dialed}`;
  const { address, port, protocol } = gateway.via;
  const host = address.includes(':') ? `[${address}]` : address;
  const hostPort = port === DEFAULT_PORTS[protocol] ? host : `${host}:${port}`;
  return `sip:${dialed}@${hostPort};user=phone`;
}
