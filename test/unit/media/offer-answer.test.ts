import { NoCommonCodecError, SdpInvalidError } from '../../../src/media/errors.js';
import { answerOffer, createOffer, describeMediaChange, readAnswer, type LocalMediaOptions } from '../../../src/media/offer-answer.js';
import { parseSdp } from '../../../src/media/sdp-wire.js';

const local: LocalMediaOptions = { address: '192.0.2.10', port: 40000, origin: { sessionId: '4711', sessionVersion: 1 } };

/** An offer as a Lync Mediation Server / SBC writes it (CRLF). */
function offer(lines: { m?: string; c?: string; extra?: string[] } = {}): string {
  return [
    'v=0',
    'o=- 3867489221 3867489221 IN IP4 198.51.100.7',
    's=session',
    `c=IN IP4 ${lines.c ?? '198.51.100.7'}`,
    'b=CT:1000',
    't=0 0',
    lines.m ?? 'm=audio 20000 RTP/AVP 8 0 18 101 13',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:18 G729/8000',
    'a=fmtp:18 annexb=no',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=rtpmap:13 CN/8000',
    'a=ptime:20',
    ...(lines.extra ?? []),
    '',
  ].join('\r\n');
}

describe('SDP offer/answer (RFC 3264)', () => {
  test('answers with the offer\'s first supported codec, its payload types, telephone-event, 20 ms', () => {
    const { answer, media } = answerOffer(offer(), local);
    expect(media).toMatchObject({
      remoteAddress: '198.51.100.7',
      remotePort: 20000,
      remoteRtcpPort: 20001,
      codec: 'PCMA',
      payloadType: 8,
      receivePayloadType: 8,
      telephoneEvent: { payloadType: 101, receivePayloadType: 101 },
      direction: 'sendrecv',
      onHold: false,
      sending: true,
      receiving: true,
      ptime: 20,
    });
    const parsed = parseSdp(answer);
    expect(parsed.address).toBe('192.0.2.10');
    expect(parsed.origin).toMatchObject({ sessionId: '4711', sessionVersion: 1 });
    expect(parsed.media).toHaveLength(1);
    expect(parsed.media[0]).toMatchObject({ type: 'audio', port: 40000, protocol: 'RTP/AVP', fmt: ['8', '101'], direction: 'sendrecv', ptime: 20 });
    expect(parsed.media[0]!.formats.map((f) => [f.payloadType, f.encoding, f.clockRate])).toEqual([
      [8, 'PCMA', 8000],
      [101, 'telephone-event', 8000],
    ]);
    expect(answer).toContain('a=fmtp:101 0-15\r\n');
  });

  test('keeps dynamic payload type numbers of the offer', () => {
    const text = offer({ m: 'm=audio 20000 RTP/AVP 96 97', extra: ['a=rtpmap:96 PCMU/8000', 'a=rtpmap:97 telephone-event/8000'] });
    const { answer, media } = answerOffer(text, local);
    expect(media).toMatchObject({ codec: 'PCMU', payloadType: 96, telephoneEvent: { payloadType: 97 } });
    expect(parseSdp(answer).media[0]!.fmt).toEqual(['96', '97']);
  });

  test('without telephone-event in the offer, the answer has none', () => {
    const { answer, media } = answerOffer(offer({ m: 'm=audio 20000 RTP/AVP 0' }), local);
    expect(media.telephoneEvent).toBeUndefined();
    expect(answer).not.toContain('telephone-event');
  });

  test.each([
    ['sendonly', 'recvonly', true, false, true],
    ['recvonly', 'sendonly', false, true, false],
    ['inactive', 'inactive', true, false, false],
    ['sendrecv', 'sendrecv', false, true, true],
  ] as const)('offer %s → answer %s', (offered, answered, onHold, sending, receiving) => {
    const { answer, media } = answerOffer(offer({ extra: [`a=${offered}`] }), local);
    expect(parseSdp(answer).media[0]!.direction).toBe(answered);
    expect(media).toMatchObject({ direction: answered, onHold, sending, receiving });
  });

  test('c=0.0.0.0 (RFC 2543 hold) is a hold: nothing is sent', () => {
    const { media } = answerOffer(offer({ c: '0.0.0.0' }), local);
    expect(media).toMatchObject({ onHold: true, sending: false, receiving: true });
  });

  test('our own direction limits the answer (e.g. we only play)', () => {
    const { media } = answerOffer(offer(), { ...local, direction: 'sendonly' });
    expect(media.direction).toBe('sendonly');
  });

  test('no common codec is a NoCommonCodecError carrying 488', () => {
    const text = offer({ m: 'm=audio 20000 RTP/AVP 18 101' });
    expect(() => answerOffer(text, local)).toThrow(NoCommonCodecError);
    try {
      answerOffer(text, local);
    } catch (error) {
      expect(error).toMatchObject({ code: 'OPENUM_MEDIA_NO_COMMON_CODEC', sipStatus: 488 });
    }
    // Only PCMA offered but we accept only PCMU.
    expect(() => answerOffer(offer({ m: 'm=audio 20000 RTP/AVP 8' }), { ...local, codecs: ['PCMU'] })).toThrow(NoCommonCodecError);
    // Secure RTP is not something we can answer.
    expect(() => answerOffer(offer({ m: 'm=audio 20000 RTP/SAVP 0' }), local)).toThrow(NoCommonCodecError);
  });

  test('other m= lines are rejected with port 0, keeping the count and order', () => {
    const text = [
      'v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0',
      'm=video 30000 RTP/AVP 34', 'a=rtpmap:34 H263/90000',
      'm=audio 20000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', '',
    ].join('\r\n');
    const { answer, media } = answerOffer(text, local);
    const parsed = parseSdp(answer);
    expect(parsed.media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 40000],
    ]);
    expect(media.remotePort).toBe(20000);
  });

  test('media-level c= and a=rtcp win over the session level', () => {
    const text = offer({ extra: ['c=IN IP4 203.0.113.5', 'a=rtcp:20011'] });
    const { media } = answerOffer(text, local);
    expect(media).toMatchObject({ remoteAddress: '203.0.113.5', remoteRtcpPort: 20011 });
  });

  test('malformed SDP is an SdpInvalidError carrying 400', () => {
    expect(() => answerOffer('hello', local)).toThrow(SdpInvalidError);
    expect(() => answerOffer('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n', local)).toThrow(
      expect.objectContaining({ code: 'OPENUM_MEDIA_SDP_INVALID', sipStatus: 400 }),
    );
    // An audio stream without any c= line.
    const noAddress = 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
    expect(() => answerOffer(noAddress, local)).toThrow(SdpInvalidError);
  });

  test('createOffer states PCMU, PCMA, telephone-event at 20 ms; readAnswer takes the peer\'s numbers to send', () => {
    const text = createOffer(local);
    const parsed = parseSdp(text);
    expect(parsed.media[0]).toMatchObject({ port: 40000, fmt: ['0', '8', '101'], direction: 'sendrecv', ptime: 20, rtcpPort: 40001 });
    expect(text).toContain('a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15');

    // The answerer renumbered telephone-event to 96 and chose PCMA.
    const answer = [
      'v=0', 'o=gw 5 5 IN IP4 198.51.100.9', 's=-', 'c=IN IP4 198.51.100.9', 't=0 0',
      'm=audio 31000 RTP/AVP 8 96', 'a=rtpmap:96 telephone-event/8000', 'a=recvonly', '',
    ].join('\r\n');
    expect(readAnswer(answer, local)).toMatchObject({
      remoteAddress: '198.51.100.9',
      remotePort: 31000,
      codec: 'PCMA',
      payloadType: 8,
      receivePayloadType: 8,
      telephoneEvent: { payloadType: 96, receivePayloadType: 101 },
      direction: 'sendonly',
      sending: true,
      receiving: false,
    });
    const rejected = answer.replace('m=audio 31000', 'm=audio 0');
    expect(() => readAnswer(rejected, local)).toThrow(NoCommonCodecError);
  });

  test('a round trip through our own offer and answer agrees on both ends', () => {
    const a: LocalMediaOptions = { ...local, address: '127.0.0.1', port: 42000 };
    const b: LocalMediaOptions = { ...local, address: '127.0.0.1', port: 42002, codecs: ['PCMA'] };
    const { answer, media: atB } = answerOffer(createOffer(a), b);
    const atA = readAnswer(answer, a);
    expect(atB).toMatchObject({ codec: 'PCMA', remotePort: 42000, payloadType: 8 });
    expect(atA).toMatchObject({ codec: 'PCMA', remotePort: 42002, payloadType: 8, receivePayloadType: 8 });
  });

  test('a re-offer is described as a change: new address, hold, resume', () => {
    const { media: first } = answerOffer(offer(), local);
    const moved = answerOffer(offer({ c: '198.51.100.99' }), local).media;
    expect(describeMediaChange(first, moved)).toEqual({
      changed: true, remoteChanged: true, codecChanged: false, directionChanged: false, hold: false, resume: false,
    });
    const held = answerOffer(offer({ extra: ['a=sendonly'] }), local).media;
    expect(describeMediaChange(first, held)).toMatchObject({ changed: true, hold: true, resume: false, directionChanged: true });
    const oldHold = answerOffer(offer({ c: '0.0.0.0' }), local).media;
    expect(describeMediaChange(first, oldHold)).toMatchObject({ hold: true, remoteChanged: true });
    expect(describeMediaChange(held, first)).toMatchObject({ resume: true, hold: false });
    expect(describeMediaChange(first, answerOffer(offer(), local).media).changed).toBe(false);
    const recoded = answerOffer(offer({ m: 'm=audio 20000 RTP/AVP 0 101' }), local).media;
    expect(describeMediaChange(first, recoded)).toMatchObject({ codecChanged: true });
  });
});
