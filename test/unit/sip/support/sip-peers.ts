import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** Collects what a peer receives and waits for matching messages with a deadline. */
abstract class Peer {
  readonly received: string[] = [];
  private waiters: Array<() => void> = [];

  protected push(text: string): void {
    this.received.push(text);
    this.notify();
  }

  /** Re-check waiters (e.g. after raw bytes arrived that are not a message). */
  protected notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Wait until `predicate` holds over the received messages, or reject after `timeoutMs`. */
  waitFor(predicate: (received: string[]) => boolean, timeoutMs = 3000): Promise<void> {
    if (predicate(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; received:\n${this.received.map((r) => r.split('\r\n')[0]).join('\n')}`)), timeoutMs);
      const check = (): void => {
        if (predicate(this.received)) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      this.waiters.push(check);
    });
  }

  /** Wait for a message whose start line matches. */
  async next(startLine: RegExp, timeoutMs = 3000): Promise<string> {
    await this.waitFor((r) => r.some((m) => startLine.test(m.split('\r\n')[0] ?? '')), timeoutMs);
    const index = this.received.findIndex((m) => startLine.test(m.split('\r\n')[0] ?? ''));
    return this.received.splice(index, 1)[0] as string;
  }

  abstract send(text: string | Buffer): Promise<void>;
  abstract close(): void;
}

/** A UDP SIP peer on 127.0.0.1 talking to one target. */
export class UdpPeer extends Peer {
  private constructor(private readonly socket: UdpSocket, private readonly targetPort: number) {
    super();
    socket.on('message', (data) => this.push(data.toString('utf8')));
  }

  static open(targetPort: number): Promise<UdpPeer> {
    return new Promise((resolve) => {
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => resolve(new UdpPeer(socket, targetPort)));
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(text, this.targetPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    this.socket.close();
  }
}

/** A TCP SIP peer; messages are split on Content-Length. */
export class TcpPeer extends Peer {
  private buffer = Buffer.alloc(0);
  readonly rawChunks: Buffer[] = [];
  closedByServer = false;

  private constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk) => {
      this.rawChunks.push(chunk);
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
      this.notify();
    });
    socket.on('close', () => {
      this.closedByServer = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<TcpPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new TcpPeer(socket)));
      socket.once('error', reject);
    });
  }

  get port(): number {
    return this.socket.localPort ?? 0;
  }

  send(text: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(text, (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      while (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) this.buffer = this.buffer.subarray(2);
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString('latin1');
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
      const total = end + 4 + length;
      if (this.buffer.length < total) return;
      this.push(this.buffer.subarray(0, total).toString('utf8'));
      this.buffer = this.buffer.subarray(total);
    }
  }
}
