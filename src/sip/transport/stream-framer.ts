import { SipFramingError, SipMessageTooLargeError } from '../errors.js';

/** What one chunk of stream bytes produced. */
export interface FramerOutput {
  /** Complete messages, each exactly headers + Content-Length bytes of body. */
  messages: Buffer[];
  /** CRLFCRLF keep-alive pings seen; each deserves a CRLF pong (RFC 5626 §3.5.1). */
  pings: number;
  /** Set when the stream cannot be framed any more; the connection must be closed. */
  error?: SipFramingError | SipMessageTooLargeError;
}

const CRLF = 0x0d0a;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*)$/gim;

/**
 * Splits a SIP byte stream into messages by Content-Length (RFC 3261 §18.3), which stream transports
 * MUST carry. Tolerates split writes, several messages per write and CRLF keep-alives between messages.
 */
export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  /** @param maxMessageSize - cap on one message (headers + body) in bytes. */
  constructor(private readonly maxMessageSize: number) {}

  /** Feed received bytes. */
  push(chunk: Buffer): FramerOutput {
    const out: FramerOutput = { messages: [], pings: 0 };
    if (this.failed) return out;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      // Keep-alives sit between messages: CRLFCRLF is a ping; a lone CRLF is a pong or padding.
      if (this.buffer.length >= 2 && this.buffer.readUInt16BE(0) === CRLF) {
        if (this.buffer.length >= 4 && this.buffer.readUInt16BE(2) === CRLF) {
          out.pings++;
          this.buffer = this.buffer.subarray(4);
          continue;
        }
        if (this.buffer.length < 4) return out; // maybe the first half of a ping
        this.buffer = this.buffer.subarray(2);
        continue;
      }
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > this.maxMessageSize) return this.fail(out, new SipMessageTooLargeError(this.buffer.length, this.maxMessageSize));
        return out;
      }
      const head = this.buffer.subarray(0, headerEnd).toString('latin1');
      const lengths = [...head.matchAll(CONTENT_LENGTH)].map((m) => (m[1] ?? '').trim());
      if (lengths.length === 0) return this.fail(out, new SipFramingError('stream message without Content-Length', ''));
      const first = lengths[0] ?? '';
      if (!/^\d{1,9}$/.test(first) || lengths.some((l) => l !== first)) {
        return this.fail(out, new SipFramingError('bad Content-Length on stream', lengths.join(',').slice(0, 100)));
      }
      const total = headerEnd + 4 + Number(first);
      if (total > this.maxMessageSize) return this.fail(out, new SipMessageTooLargeError(total, this.maxMessageSize));
      if (this.buffer.length < total) return out;
      // Copy so a retained message does not pin the whole receive buffer.
      out.messages.push(Buffer.from(this.buffer.subarray(0, total)));
      this.buffer = this.buffer.subarray(total);
    }
  }

  private fail(out: FramerOutput, error: SipFramingError | SipMessageTooLargeError): FramerOutput {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    out.error = error;
    return out;
  }
}
