import { createServer as createTcpServer, connect as tcpConnect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import type { Logger } from 'pino';
import { SipClosedError, SipListenError, SipTransportError } from '../errors.js';
import { StreamFramer } from './stream-framer.js';
import type { Destination, InboundHandler, SipTransport, SocketAddress, TlsMaterial, TransportOptions } from './transport-types.js';

/** Options of a TCP or TLS transport. */
export interface StreamTransportOptions extends TransportOptions {
  /** `tcp` or `tls`. */
  protocol: 'tcp' | 'tls';
  /** Required for `tls`. */
  tls?: TlsMaterial;
  /** Close connections idle for this long, in ms (default 10 minutes; 0 keeps them). */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_MS = 10 * 60 * 1000;

function keyOf(address: SocketAddress): string {
  return `${address.address}|${address.port}`;
}

/**
 * SIP over TCP or TLS (RFC 3261 §18): one server socket plus a map of connections keyed by the remote
 * address, so a response goes back on the connection its request arrived on, and outbound requests
 * reuse a connection to the same peer.
 */
export class StreamTransport implements SipTransport {
  /** `tcp` or `tls`. */
  readonly protocol: 'tcp' | 'tls';
  /** Streams are reliable: no SIP retransmission. */
  readonly reliable = true;
  private readonly connections = new Map<string, Socket>();
  private readonly logger: Logger;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: StreamTransportOptions,
    private readonly onMessage: InboundHandler,
  ) {
    this.protocol = options.protocol;
    this.logger = options.logger;
  }

  /** Open the listening socket. */
  static listen(options: StreamTransportOptions, onMessage: InboundHandler): Promise<StreamTransport> {
    if (options.protocol === 'tls' && !options.tls) {
      return Promise.reject(new SipListenError('a TLS listener needs tls.cert and tls.key'));
    }
    return new Promise((resolve, reject) => {
      // Connections only arrive after listen(), when `transport` below is initialized.
      const onConnection = (socket: Socket): void => transport.adopt(socket);
      const server = options.protocol === 'tls' && options.tls
        ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection)
        : createTcpServer(onConnection);
      const transport = new StreamTransport(server, options, onMessage);
      const onError = (error: Error): void => {
        server.close();
        reject(new SipListenError(`cannot listen on ${options.protocol.toUpperCase()} ${options.host}:${options.port}`, error));
      };
      server.once('error', onError);
      server.listen(options.port, options.host, () => {
        server.off('error', onError);
        server.on('error', (error) => transport.logger.warn({ err: error }, 'stream server error'));
        // TLS handshake failures from scanners must not surface as unhandled errors.
        server.on('tlsClientError', (error) => transport.logger.info({ err: error }, 'TLS handshake failed'));
        resolve(transport);
      });
    });
  }

  /** The bound address. */
  get local(): SocketAddress {
    const address = this.server.address();
    if (address === null || typeof address === 'string') return { address: this.options.host, port: this.options.port };
    return { address: address.address, port: address.port };
  }

  /** Number of open connections (for tests and metrics). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Send on the connection named by the destination, else on one to its address, else a new one. */
  async send(destination: Destination, data: string): Promise<void> {
    if (this.closed) throw new SipClosedError(`${this.protocol.toUpperCase()} transport`);
    const socket = (destination.connection && this.connections.get(keyOf(destination.connection)))
      ?? this.connections.get(keyOf(destination))
      ?? await this.connect(destination);
    await new Promise<void>((resolve, reject) => {
      socket.write(data, (error) => {
        if (error) reject(new SipTransportError(`write to ${destination.address}:${destination.port} failed`, error));
        else resolve();
      });
    });
  }

  /** Close the server and every connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
  }

  private connect(destination: SocketAddress): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const tls = this.options.tls;
      const socket = this.protocol === 'tls' && tls
        ? tlsConnect({
          host: destination.address, port: destination.port, cert: tls.cert, key: tls.key,
          rejectUnauthorized: tls.rejectUnauthorized ?? true, ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        })
        : tcpConnect({ host: destination.address, port: destination.port });
      const readyEvent = this.protocol === 'tls' ? 'secureConnect' : 'connect';
      const onError = (error: Error): void => {
        socket.destroy();
        reject(new SipTransportError(`cannot connect to ${destination.address}:${destination.port}`, error));
      };
      socket.once('error', onError);
      socket.once(readyEvent, () => {
        socket.off('error', onError);
        if (this.closed) {
          socket.destroy();
          reject(new SipClosedError(`${this.protocol.toUpperCase()} transport`));
          return;
        }
        this.adopt(socket);
        resolve(socket);
      });
    });
  }

  private adopt(socket: Socket): void {
    if (this.closed || socket.remoteAddress === undefined || socket.remotePort === undefined) {
      socket.destroy();
      return;
    }
    const remote: SocketAddress = { address: socket.remoteAddress, port: socket.remotePort };
    const key = keyOf(remote);
    const framer = new StreamFramer(this.options.maxMessageSize);
    this.connections.set(key, socket);
    const idle = this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    if (idle > 0) {
      socket.setTimeout(idle, () => {
        this.logger.debug({ remote: key }, 'closing idle connection');
        socket.destroy();
      });
    }
    socket.on('data', (chunk: Buffer) => {
      const out = framer.push(chunk);
      for (let i = 0; i < out.pings; i++) socket.write('\r\n');
      for (const message of out.messages) {
        try {
          this.onMessage(message, remote);
        } catch (error) {
          this.logger.error({ err: error, remote: key }, 'inbound handler threw');
        }
      }
      if (out.error) {
        this.logger.warn({ remote: key, code: out.error.code, err: out.error }, 'unframable SIP stream, closing connection');
        socket.destroy();
      }
    });
    socket.on('error', (error) => this.logger.debug({ remote: key, err: error }, 'connection error'));
    socket.on('close', () => {
      if (this.connections.get(key) === socket) this.connections.delete(key);
    });
  }
}
