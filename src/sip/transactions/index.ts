export { UdpRetransmission } from './udp-retransmission.js';
export type { ReceiveVerdict, UdpRetransmissionOptions } from './udp-retransmission.js';
export { FinalResponseCache } from './final-response-cache.js';
export type { CachedResponse } from './final-response-cache.js';
