/** openum signalling: transports, RFC 3261 retransmission, and the glue around the SIP.js core. */
export { SipEndpoint, DEFAULT_ALLOWED_METHODS } from './sip-endpoint.js';
export type { SipEndpointOptions, SipListenerInfo } from './sip-endpoint.js';
export { SipListener } from './sip-listener.js';
export type { SipListenerOptions } from './sip-listener.js';
export { SipClosedError, SipFramingError, SipListenError, SipMessageTooLargeError, SipTransportError } from './errors.js';
export * from './core/index.js';
export * from './messages/index.js';
export * from './timers/index.js';
export * from './transactions/index.js';
export * from './transport/index.js';
export * from './facade/index.js';
export * from './routing/index.js';
export * from './mwi/index.js';
