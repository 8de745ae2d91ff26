import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Grammar } from 'sip.js/lib/core/index.js';
import { SipTransportError } from '../errors.js';
import { firstHeaderValue, splitHeaderList } from '../messages/raw-message.js';
import type { MessageSummary } from '../messages/message-summary.js';
import type { ViaHeader } from '../messages/via.js';
import type { Destination } from './transport-types.js';

const DEFAULT_PORT = 5060;
const DEFAULT_TLS_PORT = 5061;

/** Resolves a host name to an address; injected in tests. */
export type HostResolver = (host: string) => Promise<string>;

/** Resolve with the system resolver (A/AAAA; no NAPTR/SRV yet). */
export const systemHostResolver: HostResolver = async (host) => (await lookup(host)).address;

/**
 * Where a response goes, from the top Via (RFC 3261 §18.2.2, RFC 3581 §4): `received` (else sent-by host)
 * and, on UDP, `rport` (else the sent-by port, else 5060). On streams the response prefers the connection
 * the request came in on (`received`:`rport`, both stamped on receipt), else a new connection to the
 * sent-by port.
 */
export function responseDestination(via: ViaHeader, reliable: boolean): Destination {
  const address = via.params.get('received') || via.host;
  const rport = Number(via.params.get('rport'));
  const hasRport = Number.isInteger(rport) && rport > 0 && rport <= 65535;
  const sentByPort = via.port ?? (via.transport === 'TLS' ? DEFAULT_TLS_PORT : DEFAULT_PORT);
  if (reliable) {
    return hasRport ? { address, port: sentByPort, connection: { address, port: rport } } : { address, port: sentByPort };
  }
  return { address, port: hasRport ? rport : sentByPort };
}

/** The next hop of a request: its first Route (loose routing), else its Request-URI (RFC 3261 §8.1.2). */
export function requestNextHop(summary: MessageSummary): { host: string; port: number } {
  const route = firstHeaderValue(summary.raw, 'route');
  let uriText = summary.requestUri;
  if (route !== undefined) {
    const first = splitHeaderList(route)[0] ?? '';
    const angle = /<([^>]*)>/.exec(first);
    uriText = angle?.[1] ?? first;
  }
  const uri = Grammar.URIParse(uriText);
  if (!uri) throw new SipTransportError(`cannot route request: unparsable next-hop URI ${JSON.stringify(uriText.slice(0, 200))}`);
  const secure = uri.scheme === 'sips' || String(uri.getParam('transport') ?? '').toLowerCase() === 'tls';
  const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  return { host, port: uri.port ?? (secure ? DEFAULT_TLS_PORT : DEFAULT_PORT) };
}

/** Resolve the next hop of a request to an address; IP literals skip the resolver. */
export async function resolveRequestDestination(summary: MessageSummary, resolve: HostResolver): Promise<Destination> {
  const hop = requestNextHop(summary);
  if (isIP(hop.host) !== 0) return { address: hop.host, port: hop.port };
  try {
    return { address: await resolve(hop.host), port: hop.port };
  } catch (error) {
    throw new SipTransportError(`cannot resolve ${hop.host}`, error);
  }
}
