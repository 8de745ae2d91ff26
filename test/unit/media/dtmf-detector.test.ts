import { readPcapUdp, SIPP_PCAP_DIR } from '../../support/pcap.js';
import { DtmfDetector, type DtmfDigitEvent } from '../../../src/media/dtmf-detector.js';
import { parseRtpPacket } from '../../../src/media/rtp-packet.js';
import { digitToEvent, eventToDigit, parseTelephoneEvent, serializeTelephoneEvent } from '../../../src/media/telephone-event.js';

const files: [string, string][] = [
  ['0', '0'], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5'], ['6', '6'], ['7', '7'], ['8', '8'], ['9', '9'],
  ['star', '*'], ['pound', '#'],
];

function packetsOf(name: string): ReturnType<typeof parseRtpPacket>[] {
  return readPcapUdp(`${SIPP_PCAP_DIR}/dtmf_2833_${name}.pcap`).map((datagram) => parseRtpPacket(datagram.payload));
}

function event(ssrc: number, timestamp: number, code: number, end: boolean, duration: number) {
  return { ssrc, timestamp, payload: serializeTelephoneEvent({ event: code, end, volume: 10, duration }) };
}

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  test('parses the SIPp bytes and serialises them back identically', () => {
    for (const [name, digit] of files) {
      for (const packet of packetsOf(name)) {
        const parsed = parseTelephoneEvent(packet.payload);
        expect(eventToDigit(parsed.event)).toBe(digit);
        expect(parsed.volume).toBe(10);
        expect(Buffer.compare(serializeTelephoneEvent(parsed), Buffer.from(packet.payload))).toBe(0);
      }
    }
    const last = parseTelephoneEvent(packetsOf('pound')[9]!.payload);
    expect(last).toEqual({ event: 11, end: true, volume: 10, duration: 2240 });
  });

  test('maps digits and event codes both ways', () => {
    expect(digitToEvent('#')).toBe(11);
    expect(digitToEvent('d')).toBe(15);
    expect(eventToDigit(16)).toBeUndefined();
    expect(() => digitToEvent('x')).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
  });
});

describe('DTMF detector', () => {
  test('each SIPp pcap (start, 6 updates, end ×3) gives exactly one digit', () => {
    for (const [name, digit] of files) {
      const detector = new DtmfDetector();
      const digits = packetsOf(name).flatMap((packet) => detector.process(packet));
      expect(digits.map((d) => d.digit)).toEqual([digit]);
      expect(digits[0]!.ended).toBe(false);
      expect(detector.stats).toMatchObject({ packets: 10, digits: 1, duplicates: 9 });
    }
  });

  test('a lost start is reported from the end packet, once for its three copies', () => {
    const detector = new DtmfDetector();
    const ends = packetsOf('7').slice(7);
    const digits = ends.flatMap((packet) => detector.process(packet));
    expect(digits).toEqual<DtmfDigitEvent[]>([{ digit: '7', timestamp: ends[0]!.timestamp, duration: 2240, ended: true, volume: 10 }]);
  });

  test('a new timestamp is a new key press, even for the same digit', () => {
    const detector = new DtmfDetector();
    const presses = [
      event(1, 1000, 5, false, 160), event(1, 1000, 5, true, 800), event(1, 1000, 5, true, 800), event(1, 1000, 5, true, 800),
      event(1, 3000, 5, false, 160), event(1, 3000, 5, true, 800), event(1, 3000, 5, true, 800),
    ];
    expect(presses.flatMap((packet) => detector.process(packet)).map((d) => [d.digit, d.timestamp])).toEqual([
      ['5', 1000],
      ['5', 3000],
    ]);
  });

  test('a straggler of an earlier press does not count again', () => {
    const detector = new DtmfDetector();
    const sequence = [event(1, 1000, 1, false, 160), event(1, 3000, 2, false, 160), event(1, 1000, 1, true, 800)];
    expect(sequence.flatMap((packet) => detector.process(packet)).map((d) => d.digit)).toEqual(['1', '2']);
  });

  test('timestamps wrapping past 2^32 still order presses correctly', () => {
    const detector = new DtmfDetector();
    const sequence = [event(1, 2 ** 32 - 400, 3, true, 320), event(1, 400, 4, false, 160), event(1, 2 ** 32 - 400, 3, true, 320)];
    expect(sequence.flatMap((packet) => detector.process(packet)).map((d) => d.digit)).toEqual(['3', '4']);
  });

  test('a press longer than one segment (§2.5.1.3) stays one digit', () => {
    const detector = new DtmfDetector();
    const sequence = [event(1, 0, 9, false, 160), event(1, 0, 9, false, 0xffff), event(1, 0xffff, 9, false, 160), event(1, 0xffff, 9, true, 4000)];
    expect(sequence.flatMap((packet) => detector.process(packet)).map((d) => d.digit)).toEqual(['9']);
  });

  test('a new SSRC is a new stream; non-digit events and short payloads are ignored', () => {
    const detector = new DtmfDetector();
    expect(detector.process(event(1, 1000, 16, false, 160))).toEqual([]);
    expect(detector.process({ ssrc: 1, timestamp: 2000, payload: new Uint8Array(2) })).toEqual([]);
    expect(detector.process(event(2, 1000, 0, false, 160)).map((d) => d.digit)).toEqual(['0']);
    expect(detector.stats).toMatchObject({ nonDigit: 1, invalid: 1, digits: 1 });
  });
});
