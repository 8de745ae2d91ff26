import { PacketParseError } from '../../../src/media/errors.js';
import { ReceptionStats } from '../../../src/media/reception-stats.js';
import { isRtcpPacket, parseRtcpCompound, serializeRtcpCompound, type RtcpPacket } from '../../../src/media/rtcp-packet.js';

describe('RTCP (RFC 3550 §6.4)', () => {
  const block = {
    ssrc: 0x0e05384e,
    fractionLost: 64,
    cumulativeLost: 3,
    extendedHighestSequence: 0x0001_0002,
    jitter: 17,
    lastSenderReport: 0x1234_5678,
    delaySinceLastSenderReport: 65536,
  };

  test('SR + SDES compound: bytes laid out as the diagram says, and parsed back', () => {
    const packets: RtcpPacket[] = [
      { type: 'SR', ssrc: 0xdeadbeef, ntpSeconds: 3_900_000_000, ntpFraction: 0x8000_0000, rtpTimestamp: 160, packetCount: 50, octetCount: 8000, reports: [block] },
      { type: 'SDES', chunks: [{ ssrc: 0xdeadbeef, cname: 'openum@127.0.0.1' }] },
    ];
    const bytes = serializeRtcpCompound(packets);
    // SR: V=2 RC=1, PT 200, length (52 bytes / 4) − 1 = 12.
    expect(bytes.subarray(0, 4).toString('hex')).toBe('81c8000c');
    expect(bytes.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(bytes.readUInt32BE(28 + 4)).toBe((64 << 24) | 3);
    // SDES: 4 header + 4 SSRC + 2 + 16 text + 1 zero → padded to 28 bytes: length 6.
    expect(bytes.subarray(52, 56).toString('hex')).toBe('81ca0006');
    expect(bytes.length).toBe(52 + 28);
    expect(isRtcpPacket(bytes)).toBe(true);
    expect(parseRtcpCompound(bytes)).toEqual(packets);
  });

  test('RR with a negative cumulative loss (duplicates) and a BYE round-trip', () => {
    const packets: RtcpPacket[] = [
      { type: 'RR', ssrc: 7, reports: [{ ...block, cumulativeLost: -2 }] },
      { type: 'BYE', sources: [7] },
    ];
    expect(parseRtcpCompound(serializeRtcpCompound(packets))).toEqual(packets);
  });

  test('an empty RR (nothing received yet) is valid: 8 bytes', () => {
    const bytes = serializeRtcpCompound([{ type: 'RR', ssrc: 1, reports: [] }]);
    expect(bytes.toString('hex')).toBe('80c9000100000001');
    expect(parseRtcpCompound(bytes)).toEqual([{ type: 'RR', ssrc: 1, reports: [] }]);
  });

  test('unknown packet types are skipped by their length; truncation is an error', () => {
    const app = Buffer.from('80cc0002000000016162636400', 'hex').subarray(0, 12);
    const rr = serializeRtcpCompound([{ type: 'RR', ssrc: 1, reports: [] }]);
    expect(parseRtcpCompound(Buffer.concat([rr, app]))).toEqual([{ type: 'RR', ssrc: 1, reports: [] }, { type: 'unknown', packetType: 204 }]);
    expect(() => parseRtcpCompound(rr.subarray(0, 6))).toThrow(PacketParseError);
  });
});

describe('reception statistics (RFC 3550 §A.3, §A.8)', () => {
  test('loss, fraction lost per interval, extended highest sequence across the wrap', () => {
    const stats = new ReceptionStats();
    let arrival = 0;
    for (const seq of [65530, 65531, 65533, 65534, 65535, 0, 1, 3]) {
      stats.onPacket(9, seq, (seq * 160) >>> 0, arrival);
      arrival += 20;
    }
    const first = stats.reportBlock(arrival)!;
    expect(first).toMatchObject({ ssrc: 9, cumulativeLost: 2, extendedHighestSequence: 65536 + 3 });
    expect(first.fractionLost).toBe(Math.floor((2 * 256) / 10));
    for (const seq of [4, 5, 6, 7]) stats.onPacket(9, seq, seq * 160, (arrival += 20));
    expect(stats.reportBlock(arrival)!.fractionLost).toBe(0);
  });

  test('jitter stays 0 for perfectly paced packets and grows with arrival variation', () => {
    const paced = new ReceptionStats();
    for (let i = 0; i < 50; i++) paced.onPacket(1, i, i * 160, i * 20);
    expect(paced.jitter).toBe(0);
    const jittery = new ReceptionStats();
    for (let i = 0; i < 50; i++) jittery.onPacket(1, i, i * 160, i * 20 + (i % 2) * 10);
    // |D| = 10 ms = 80 timestamp units each step; J converges towards 80.
    expect(jittery.jitter).toBeGreaterThan(70);
    expect(jittery.jitter).toBeLessThanOrEqual(80);
  });

  test('LSR and DLSR come from the last sender report', () => {
    const stats = new ReceptionStats();
    stats.onPacket(1, 0, 0, 0);
    stats.onSenderReport(0x0001_2345, 0x6789_0000, 1000);
    const report = stats.reportBlock(1500)!;
    expect(report.lastSenderReport).toBe(0x2345_6789);
    expect(report.delaySinceLastSenderReport).toBe(32768);
  });
});
