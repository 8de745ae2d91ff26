import type { Logger } from 'pino';

/** Transport protocols openum listens on. */
export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** One listening socket. */
export interface ListenOptions {
  /** Protocol. */
  protocol: TransportProtocol;
  /** Local address to bind, e.g. `127.0.0.1` or `0.0.0.0`. */
  host: string;
  /** Local port; 0 picks an ephemeral port (read it back from the transport's `local`). */
  port: number;
}

/** Certificate and key (PEM) for TLS listeners and outbound TLS. */
export interface TlsMaterial {
  /** PEM certificate chain. */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
  /** Verify the peer certificate on outbound connections (default true). */
  rejectUnauthorized?: boolean;
  /** Extra trusted CAs (PEM) for outbound connections. */
  ca?: string | Buffer;
}

/** An IP address and port. */
export interface SocketAddress {
  /** IP address (IPv6 without brackets). */
  address: string;
  /** Port. */
  port: number;
}

/**
 * Where to send a message. `connection` names an existing stream connection to prefer (the one a request
 * arrived on, RFC 3261 §18.2.2); if it is gone, a stream transport connects to `address`/`port`.
 */
export interface Destination extends SocketAddress {
  /** Remote end of the existing connection to use first (stream transports only). */
  connection?: SocketAddress;
}

/** Called with each complete message a transport receives. */
export type InboundHandler = (data: Buffer, source: SocketAddress) => void;

/** Options common to every transport. */
export interface TransportOptions extends ListenOptions {
  /** Largest accepted message in bytes (headers + body). */
  maxMessageSize: number;
  /** Logger for this transport. */
  logger: Logger;
}

/** A bound transport: sends text to destinations and hands received messages to its handler. */
export interface SipTransport {
  /** Protocol. */
  readonly protocol: TransportProtocol;
  /** Reliable (stream) transports need no SIP retransmission. */
  readonly reliable: boolean;
  /** The bound local address (with the real port when 0 was asked). */
  readonly local: SocketAddress;
  /** Send one message. Rejects with `SipTransportError`. */
  send(destination: Destination, data: string): Promise<void>;
  /** Close the socket(s). Synchronous and idempotent. */
  close(): void;
}
