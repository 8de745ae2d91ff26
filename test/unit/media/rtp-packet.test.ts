import { existsSync } from 'node:fs';
import { readPcapUdp, SIPP_PCAP_DIR } from '../../support/pcap.js';
import { PacketParseError } from '../../../src/media/errors.js';
import { isRtpPacket, parseRtpPacket, rtpPacketByteLength, serializeRtpPacket, serializeRtpPacketTo } from '../../../src/media/rtp-packet.js';

const g711a = `${SIPP_PCAP_DIR}/g711a.pcap`;

describe('RTP packet (RFC 3550 §5.1)', () => {
  test('the SIPp pcap is installed (real bytes for the round trips)', () => {
    expect(existsSync(g711a)).toBe(true);
  });

  test('parses every packet of g711a.pcap and re-serialises it to the same bytes', () => {
    const datagrams = readPcapUdp(g711a);
    expect(datagrams.length).toBe(236);
    let previous: ReturnType<typeof parseRtpPacket> | undefined;
    for (const datagram of datagrams) {
      const packet = parseRtpPacket(datagram.payload);
      expect(packet.payloadType).toBe(8);
      expect(packet.ssrc).toBe(3739283087);
      expect(packet.payload.length).toBe(240);
      if (previous) {
        expect(packet.sequenceNumber).toBe((previous.sequenceNumber + 1) & 0xffff);
        expect(packet.timestamp - previous.timestamp).toBe(240);
      }
      expect(Buffer.compare(serializeRtpPacket(packet), datagram.payload)).toBe(0);
      expect(rtpPacketByteLength(packet)).toBe(datagram.payload.length);
      previous = packet;
    }
    const first = parseRtpPacket(datagrams[0]!.payload);
    expect(first).toMatchObject({ marker: true, sequenceNumber: 59133, timestamp: 240, csrc: [], paddingLength: 0 });
  });

  test('parses the telephone-event packets of the dtmf pcaps and round-trips them', () => {
    for (const name of ['0', '5', 'pound', 'star']) {
      const datagrams = readPcapUdp(`${SIPP_PCAP_DIR}/dtmf_2833_${name}.pcap`);
      expect(datagrams.length).toBe(10);
      for (const datagram of datagrams) {
        const packet = parseRtpPacket(datagram.payload);
        expect(packet.payloadType).toBe(101);
        expect(packet.payload.length).toBe(4);
        expect(Buffer.compare(serializeRtpPacket(packet), datagram.payload)).toBe(0);
      }
    }
  });

  test('handles CSRCs, a header extension and padding on parse, and writes them back', () => {
    const bytes = Buffer.from(
      [
        'b2', '80', 'ff', 'ff', // V=2 P=1 X=1 CC=2, M=1 PT=0, seq 65535
        'ff', 'ff', 'ff', 'f0', // timestamp 2^32 − 16
        '01', '02', '03', '04', // SSRC
        '00', '00', '00', '0a', // CSRC 1
        '00', '00', '00', '0b', // CSRC 2
        'be', 'de', '00', '01', // extension profile 0xBEDE, 1 word
        '10', 'ab', '00', '00', // extension data
        'de', 'ad', 'be', 'ef', // payload
        '00', '00', '03', // padding, count 3
      ].join(''),
      'hex',
    );
    const packet = parseRtpPacket(bytes);
    expect(packet).toMatchObject({
      marker: true,
      payloadType: 0,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0x01020304,
      csrc: [10, 11],
      paddingLength: 3,
    });
    expect(packet.extension?.profile).toBe(0xbede);
    expect(Buffer.from(packet.extension!.data).toString('hex')).toBe('10ab0000');
    expect(Buffer.from(packet.payload).toString('hex')).toBe('deadbeef');
    expect(Buffer.compare(serializeRtpPacket(packet), bytes)).toBe(0);
    const target = Buffer.alloc(bytes.length + 5);
    expect(serializeRtpPacketTo(packet, target, 5)).toBe(bytes.length);
    expect(Buffer.compare(target.subarray(5), bytes)).toBe(0);
  });

  test('refuses truncated packets with the byte counts', () => {
    const error = (() => {
      try {
        parseRtpPacket(Buffer.alloc(11, 0x80));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PacketParseError);
    expect(error).toMatchObject({ code: 'OPENUM_MEDIA_PACKET_INVALID', got: 11, need: 12 });
    // CC=3 promises 12 bytes of CSRC that are not there.
    expect(() => parseRtpPacket(Buffer.from('830000010000000100000001', 'hex'))).toThrow(PacketParseError);
    // Version 1.
    expect(() => parseRtpPacket(Buffer.alloc(12, 0x40))).toThrow(PacketParseError);
    // Padding count larger than the packet.
    const padded = Buffer.from('a000000100000001000000010000ff', 'hex');
    expect(() => parseRtpPacket(padded)).toThrow(PacketParseError);
  });

  test('isRtpPacket tells RTP from RTCP sharing a port (RFC 5761 §4)', () => {
    const rtp = readPcapUdp(g711a)[0]!.payload;
    expect(isRtpPacket(rtp)).toBe(true);
    const rtcpReceiverReport = Buffer.from('80c9000100000001', 'hex');
    expect(isRtpPacket(Buffer.concat([rtcpReceiverReport, Buffer.alloc(4)]))).toBe(false);
    expect(isRtpPacket(Buffer.alloc(4))).toBe(false);
  });
});
