/** Test helpers for call-facade ladders: responses built from requests, and a TCP peer that listens. */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { header } from '../../../unit/sip/support/sip-messages.js';

/** Options of {@link responseTo}. */
export interface ResponseOptions {
  toTag?: string;
  extra?: string[];
  body?: string;
  contentType?: string;
}

/** A response to `request` (Via, From, To, Call-ID, CSeq copied; a To tag added when given). */
export function responseTo(request: string, status: number, reason: string, options: ResponseOptions = {}): string {
  const head = (request.split('\r\n\r\n')[0] ?? '').split('\r\n');
  const copied = head.filter((l) => /^(via|v|from|f|to|t|call-id|i|cseq|record-route):/i.test(l)).map((l) => {
    if (options.toTag && /^(to|t):/i.test(l) && !/;tag=/i.test(l)) return `${l};tag=${options.toTag}`;
    return l;
  });
  const body = options.body ?? '';
  const lines = [`SIP/2.0 ${status} ${reason}`, ...copied, ...(options.extra ?? [])];
  if (body.length > 0) lines.push(`Content-Type: ${options.contentType ?? 'application/sdp'}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The SDP body of a message, or ''. */
export function bodyOf(text: string): string {
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

/** CSeq of a message as `n METHOD`. */
export function cseqOf(text: string): string {
  return header(text, 'cseq') ?? '';
}

/** An SDP answer/offer with a chosen direction attribute. */
export function sdp(port: number, direction = 'sendrecv', version = 1): string {
  return [
    'v=0', `o=- 1 ${version} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP 8 101`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', `a=${direction}`, '',
  ].join('\r\n');
}

/** A SIP peer that listens on TCP 127.0.0.1 (for outbound calls over TCP); messages framed by Content-Length. */
export class TcpServerPeer {
  readonly received: string[] = [];
  private socket: Socket | undefined;
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static listen(): Promise<TcpServerPeer> {
    return new Promise((resolve) => {
      const server = createServer();
      const peer = new TcpServerPeer(server);
      server.on('connection', (socket) => {
        peer.socket = socket;
        socket.on('data', (chunk) => peer.receive(chunk));
        socket.on('error', () => undefined);
      });
      server.listen(0, '127.0.0.1', () => resolve(peer));
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Wait for a message whose start line matches, and take it out of `received`. */
  async next(startLine: RegExp, timeoutMs = 3000): Promise<string> {
    const find = (): number => this.received.findIndex((m) => startLine.test(m.split('\r\n')[0] ?? ''));
    if (find() < 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${startLine}; got ${this.received.map((m) => m.split('\r\n')[0]).join(' | ')}`)), timeoutMs);
        const check = (): void => {
          if (find() >= 0) {
            clearTimeout(timer);
            resolve();
          } else {
            this.waiters.push(check);
          }
        };
        this.waiters.push(check);
      });
    }
    return this.received.splice(find(), 1)[0] as string;
  }

  send(text: string): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('no connection yet'));
    return new Promise((resolve, reject) => socket.write(text, (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let guard = 0; guard < 1000; guard++) {
      while (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) this.buffer = this.buffer.subarray(2);
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/content-length:\s*(\d+)/i.exec(this.buffer.subarray(0, end).toString('latin1'))?.[1] ?? '0');
      if (this.buffer.length < end + 4 + length) break;
      this.received.push(this.buffer.subarray(0, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
    for (const w of this.waiters.splice(0)) w();
  }
}
