import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import { SipClosedError, SipListenError, SipTransportError } from '../errors.js';
import type { Destination, InboundHandler, SipTransport, SocketAddress, TransportOptions } from './transport-types.js';

/** A SIP transport over one UDP socket (RFC 3261 §18). */
export class UdpTransport implements SipTransport {
  /** Always `udp`. */
  readonly protocol = 'udp' as const;
  /** UDP is unreliable: the transaction layer retransmits. */
  readonly reliable = false;
  private readonly socket: Socket;
  private readonly logger: Logger;
  private readonly maxMessageSize: number;
  private closed = false;

  private constructor(socket: Socket, options: TransportOptions, onMessage: InboundHandler) {
    this.socket = socket;
    this.logger = options.logger;
    this.maxMessageSize = options.maxMessageSize;
    socket.on('message', (data, rinfo) => {
      if (data.length > this.maxMessageSize) {
        this.logger.warn({ from: `${rinfo.address}:${rinfo.port}`, bytes: data.length, cap: this.maxMessageSize }, 'oversized UDP datagram dropped');
        return;
      }
      try {
        onMessage(data, { address: rinfo.address, port: rinfo.port });
      } catch (error) {
        this.logger.error({ err: error }, 'inbound handler threw');
      }
    });
    // A send to an unreachable port surfaces here as ECONNREFUSED on some platforms; never let it crash us.
    socket.on('error', (error) => this.logger.warn({ err: error }, 'UDP socket error'));
  }

  /** Bind a UDP socket and start receiving. */
  static listen(options: TransportOptions, onMessage: InboundHandler): Promise<UdpTransport> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: isIPv6(options.host) ? 'udp6' : 'udp4' });
      const onError = (error: Error): void => {
        socket.close();
        reject(new SipListenError(`cannot bind UDP ${options.host}:${options.port}`, error));
      };
      socket.once('error', onError);
      socket.bind(options.port, options.host, () => {
        socket.off('error', onError);
        resolve(new UdpTransport(socket, options, onMessage));
      });
    });
  }

  /** The bound address. */
  get local(): SocketAddress {
    const address = this.socket.address();
    return { address: address.address, port: address.port };
  }

  /** Send one datagram. */
  send(destination: Destination, data: string): Promise<void> {
    if (this.closed) return Promise.reject(new SipClosedError('UDP transport'));
    return new Promise((resolve, reject) => {
      this.socket.send(data, destination.port, destination.address, (error) => {
        if (error) reject(new SipTransportError(`UDP send to ${destination.address}:${destination.port} failed`, error));
        else resolve();
      });
    });
  }

  /** Close the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
