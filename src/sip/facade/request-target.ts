import { Grammar } from 'sip.js/lib/core/index.js';
import type { URI } from 'sip.js/lib/core/index.js';
import type { TransportProtocol } from '../transport/transport-types.js';
import { SipInvalidRequestError } from './call-facade-errors.js';

const DEFAULT_PORTS = { udp: 5060, tcp: 5060, tls: 5061 } as const;

/** A next hop: where a request we originate is sent. */
export interface NextHop {
  address: string;
  port: number;
  protocol: TransportProtocol;
}

/** `tel:NUMBER[;params]` as `sip:NUMBER[;params]@host;user=phone` (the SIP.js grammar knows sip/sips only). */
export function parseRequestTarget(text: string, host: string, what: string): URI {
  const tel = /^tel:(.+)$/i.exec(text.trim());
  const hostText = host.includes(':') ? `[${host}]` : host;
  const uri = Grammar.URIParse(tel ? `sip:${tel[1]}@${hostText};user=phone` : text.trim());
  if (!uri) throw new SipInvalidRequestError(`${what} is not a SIP URI: ${JSON.stringify(text.slice(0, 200))}`);
  return uri;
}

/** A quoted display name needs `\` and `"` escaped (RFC 3261 §25.1 quoted-pair); SIP.js quotes without escaping. */
export function quotableDisplayName(displayName: string): string {
  return displayName.replace(/[\r\n]/g, ' ').replace(/(["\\])/g, '\\$1');
}

/** A Route to the next hop when the Request-URI does not already lead there (a pre-loaded route, RFC 3261 §8.1.2). */
export function preloadedRoute(requestUri: URI, hop: NextHop): string[] {
  const host = requestUri.host.startsWith('[') ? requestUri.host.slice(1, -1) : requestUri.host;
  const port = requestUri.port ?? DEFAULT_PORTS[hop.protocol];
  if (host === hop.address && port === hop.port) return [];
  const hostText = hop.address.includes(':') ? `[${hop.address}]` : hop.address;
  const transport = hop.protocol === 'udp' ? '' : `;transport=${hop.protocol}`;
  return [`<sip:${hostText}:${hop.port}${transport};lr>`];
}
