import pino from 'pino';
import { IncomingRequestMessage, Parser } from 'sip.js/lib/core/index.js';
import { createPinoLoggerFactory } from '../../../../src/sip/core/pino-logger-factory.js';
import { summarize } from '../../../../src/sip/messages/message-summary.js';
import { buildStatelessResponse } from '../../../../src/sip/messages/stateless-response.js';
import { rewriteTelUris } from '../../../../src/sip/messages/tel-uri-rewrite.js';
import { stampVia } from '../../../../src/sip/messages/via-stamp.js';
import { header, request } from '../support/sip-messages.js';

const sipLogger = createPinoLoggerFactory(pino({ level: 'silent' })).getLogger('test');
const source = { address: '192.0.2.1', port: 40000 };

describe('stampVia (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('adds received always and fills a bare rport with the source port', () => {
    const text = stampVia(request({ method: 'OPTIONS', via: 'Via: SIP/2.0/UDP gw.example.com:5070;branch=z9hG4bK1;rport' }), source, false);
    expect(header(text, 'via')).toBe('SIP/2.0/UDP gw.example.com:5070;branch=z9hG4bK1;rport=40000;received=192.0.2.1');
  });

  it('adds no rport unless asked or forced', () => {
    const plain = request({ method: 'OPTIONS', via: 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1' });
    expect(header(stampVia(plain, source, false), 'via')).toBe('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1');
    expect(header(stampVia(plain, source, true), 'via')).toBe('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1;rport=40000');
  });

  it('stamps only the top element of a comma-separated or compact Via, and keeps the body intact', () => {
    const text = request({ method: 'MESSAGE', body: 'héllo', contentType: 'text/plain', via: 'v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2' });
    const stamped = stampVia(text, source, false);
    expect(header(stamped, 'via')).toBe('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=192.0.2.1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2');
    expect(stamped.endsWith('\r\n\r\nhéllo')).toBe(true);
  });

  it('replaces a received the client put there itself', () => {
    const text = request({ method: 'OPTIONS', via: 'Via: SIP/2.0/UDP 10.0.0.1;received=6.6.6.6;branch=z9hG4bK1' });
    expect(header(stampVia(text, source, false), 'via')).toBe('SIP/2.0/UDP 10.0.0.1;received=192.0.2.1;branch=z9hG4bK1');
  });
});

describe('rewriteTelUris (RFC 3261 §19.1.6)', () => {
  it('turns tel: in Request-URI, From, To and Contact into sip:…;user=phone that SIP.js parses', () => {
    const text = request({
      method: 'INVITE', uri: 'tel:+4930123456;phone-context=+49', from: '"Carrier" <tel:+15551234567>;tag=abc', to: 'tel:+4930123456',
      contact: '<tel:+15551234567>',
    });
    const before = Parser.parseMessage(text, sipLogger);
    expect(before).toBeUndefined(); // the unpatched grammar rejects the message: the reason this glue exists
    const rewritten = rewriteTelUris(text, 'um.example.com');
    expect(rewritten.split('\r\n')[0]).toBe('INVITE sip:+4930123456;phone-context=+49@um.example.com;user=phone SIP/2.0');
    const message = Parser.parseMessage(rewritten, sipLogger);
    expect(message).toBeInstanceOf(IncomingRequestMessage);
    const req = message as IncomingRequestMessage;
    expect(req.from.uri.user).toBe('+15551234567');
    expect(req.from.getParam('tag')).toBe('abc');
    expect(req.from.displayName).toBe('Carrier');
    expect(req.to.uri.getParam('user')).toBe('phone');
    expect(req.ruri?.user).toBe('+4930123456;phone-context=+49');
  });

  it('leaves sip: messages untouched', () => {
    const text = request({ method: 'INVITE' });
    expect(rewriteTelUris(text, 'x')).toBe(text);
  });
});

describe('buildStatelessResponse (RFC 3261 §8.2.6.2)', () => {
  it('copies Via, From, To (adding a tag), Call-ID and CSeq', () => {
    const text = request({ method: 'INVITE', via: 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', callId: 'abc', cseq: 7, extra: ['X-Junk: ]]]'] });
    const response = buildStatelessResponse(text, { statusCode: 400, reasonPhrase: 'Bad Request', extraHeaders: ['Warning: 399 openum "bad"'] });
    expect(response).toBeDefined();
    const s = summarize(response as string);
    expect(s?.statusCode).toBe(400);
    expect(s?.method).toBe('INVITE');
    expect(header(response as string, 'call-id')).toBe('abc');
    expect(header(response as string, 'to')).toMatch(/^<sip:openum@127\.0\.0\.1>;tag=[0-9a-f]+$/);
    expect(header(response as string, 'warning')).toBe('399 openum "bad"');
    expect(header(response as string, 'x-junk')).toBeUndefined();
  });

  it('gives nothing for ACK, responses, or a request without Via', () => {
    expect(buildStatelessResponse(request({ method: 'ACK' }), { statusCode: 400, reasonPhrase: 'x' })).toBeUndefined();
    expect(buildStatelessResponse('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bK1\r\n\r\n', { statusCode: 400, reasonPhrase: 'x' })).toBeUndefined();
    expect(buildStatelessResponse('OPTIONS sip:x SIP/2.0\r\nFrom: <sip:a@b>\r\n\r\n', { statusCode: 400, reasonPhrase: 'x' })).toBeUndefined();
  });
});
