export { UdpTransport } from './udp-transport.js';
export { StreamTransport } from './stream-transport.js';
export type { StreamTransportOptions } from './stream-transport.js';
export { StreamFramer } from './stream-framer.js';
export type { FramerOutput } from './stream-framer.js';
export { requestNextHop, resolveRequestDestination, responseDestination, systemHostResolver } from './destination.js';
export type { HostResolver } from './destination.js';
export type {
  Destination, InboundHandler, ListenOptions, SipTransport, SocketAddress, TlsMaterial, TransportOptions, TransportProtocol,
} from './transport-types.js';
