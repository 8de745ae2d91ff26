import { SipFramingError, SipMessageTooLargeError } from '../../../../src/sip/errors.js';
import { StreamFramer } from '../../../../src/sip/transport/stream-framer.js';
import { request, SDP_OFFER } from '../support/sip-messages.js';

const invite = request({ method: 'INVITE', transport: 'TCP', body: SDP_OFFER });
const options = request({ method: 'OPTIONS', transport: 'TCP' });

describe('StreamFramer (RFC 3261 §18.3)', () => {
  it('frames a message delivered one byte at a time', () => {
    const framer = new StreamFramer(65535);
    const bytes = Buffer.from(invite);
    const messages: Buffer[] = [];
    for (let i = 0; i < bytes.length; i++) messages.push(...framer.push(bytes.subarray(i, i + 1)).messages);
    expect(messages.map((m) => m.toString())).toEqual([invite]);
  });

  it('frames several messages in one write, with CRLF keep-alives between them', () => {
    const framer = new StreamFramer(65535);
    const out = framer.push(Buffer.from(`${invite}\r\n\r\n${options}\r\n${invite}`));
    expect(out.messages.map((m) => m.toString())).toEqual([invite, options, invite]);
    expect(out.pings).toBe(1);
  });

  it('counts a CRLFCRLF ping split across writes (RFC 5626 §3.5.1)', () => {
    const framer = new StreamFramer(65535);
    expect(framer.push(Buffer.from('\r\n')).pings).toBe(0);
    expect(framer.push(Buffer.from('\r\n')).pings).toBe(1);
    expect(framer.push(Buffer.from(options)).messages).toHaveLength(1);
  });

  it('measures Content-Length in bytes, not characters', () => {
    const body = 'sänger ♫\r\n';
    const text = request({ method: 'MESSAGE', transport: 'TCP', body, contentType: 'text/plain' });
    const out = new StreamFramer(65535).push(Buffer.from(text + options));
    expect(out.messages.map((m) => m.toString('utf8'))).toEqual([text, options]);
  });

  it('accepts the compact form l:', () => {
    const text = options.replace('Content-Length: 0', 'l: 0');
    expect(new StreamFramer(65535).push(Buffer.from(text)).messages).toHaveLength(1);
  });

  it.each([
    ['missing', options.replace('Content-Length: 0\r\n', '')],
    ['not a number', options.replace('Content-Length: 0', 'Content-Length: abc')],
    ['negative', options.replace('Content-Length: 0', 'Content-Length: -5')],
    ['conflicting', options.replace('Content-Length: 0', 'Content-Length: 0\r\nContent-Length: 7')],
  ])('fails the stream on a %s Content-Length', (_name, text) => {
    const framer = new StreamFramer(65535);
    const out = framer.push(Buffer.from(text + options));
    expect(out.messages).toHaveLength(0);
    expect(out.error).toBeInstanceOf(SipFramingError);
    expect(out.error?.code).toBe('OPENUM_SIP_FRAMING');
    expect(framer.push(Buffer.from(options)).messages).toHaveLength(0); // stays failed
  });

  it('fails on a message larger than the cap, whether headers or declared body are too big', () => {
    const big = new StreamFramer(1000).push(Buffer.from(options.replace('Content-Length: 0', 'Content-Length: 5000')));
    expect(big.error).toBeInstanceOf(SipMessageTooLargeError);
    expect((big.error as SipMessageTooLargeError).need).toBe(1000);
    const endless = new StreamFramer(1000).push(Buffer.from(`INVITE sip:x SIP/2.0\r\nX: ${'a'.repeat(2000)}`));
    expect(endless.error).toBeInstanceOf(SipMessageTooLargeError);
    expect(endless.error?.code).toBe('OPENUM_SIP_MESSAGE_TOO_LARGE');
  });
});
