import { PacketParseError } from './errors.js';

/*
 * RTCP common header, RFC 3550 §6.4.1 (SR shown; RR is the same without sender info, PT=201):
 *
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                 SSRC_1 (SSRC of first source)                 |
 * block  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   1    | fraction lost |       cumulative number of packets lost       |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |           extended highest sequence number received           |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      interarrival jitter                      |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         last SR (LSR)                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                   delay since last SR (DLSR)                  |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * SDES (PT=202, §6.5): per chunk an SSRC, items (type, length, text), a zero item, padding to 32 bits.
 * BYE (PT=203, §6.6): SC SSRCs. `length` is the packet size in 32-bit words minus one.
 */

const HEADER_LENGTH = 4;
const VERSION_SHIFT = 6;
const COUNT_MASK = 0x1f;
const PADDING_MASK = 0x20;
const PT_OFFSET = 1;
const LENGTH_OFFSET = 2;
const SSRC_OFFSET = 4;
const SENDER_INFO_OFFSET = 8;
const SENDER_INFO_LENGTH = 20;
const REPORT_BLOCK_LENGTH = 24;
const SDES_CNAME = 1;

/** RTCP packet types (RFC 3550 §12.1). */
export const RtcpPacketType = { SR: 200, RR: 201, SDES: 202, BYE: 203, APP: 204 } as const;

/** One reception report block. */
export interface RtcpReportBlock {
  /** Source reported on. */
  ssrc: number;
  /** Fraction lost since the previous report, 0–255 (fixed point /256). */
  fractionLost: number;
  /** Cumulative packets lost (24-bit signed). */
  cumulativeLost: number;
  /** Extended highest sequence number received. */
  extendedHighestSequence: number;
  /** Interarrival jitter, timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (0 if none). */
  lastSenderReport: number;
  /** Delay since that SR, 1/65536 s (0 if none). */
  delaySinceLastSenderReport: number;
}

/** Sender report (PT 200). */
export interface RtcpSenderReport {
  type: 'SR';
  /** Sender's SSRC. */
  ssrc: number;
  /** NTP timestamp, seconds since 1900 (high word). */
  ntpSeconds: number;
  /** NTP timestamp, fraction (low word). */
  ntpFraction: number;
  /** RTP timestamp of the same instant. */
  rtpTimestamp: number;
  /** Packets sent. */
  packetCount: number;
  /** Payload octets sent. */
  octetCount: number;
  /** Reception reports. */
  reports: RtcpReportBlock[];
}

/** Receiver report (PT 201). */
export interface RtcpReceiverReport {
  type: 'RR';
  /** Reporter's SSRC. */
  ssrc: number;
  /** Reception reports. */
  reports: RtcpReportBlock[];
}

/** Source description carrying a CNAME (PT 202, one chunk). */
export interface RtcpSourceDescription {
  type: 'SDES';
  /** Chunks: SSRC and its CNAME (other items are skipped on parse). */
  chunks: { ssrc: number; cname: string }[];
}

/** Goodbye (PT 203). */
export interface RtcpBye {
  type: 'BYE';
  /** Sources leaving. */
  sources: number[];
}

/** A packet type openum does not interpret. */
export interface RtcpUnknown {
  type: 'unknown';
  /** Its packet type number. */
  packetType: number;
}

/** Any RTCP packet of a compound. */
export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpUnknown;

/** Fast check that a datagram looks like RTCP (version 2, packet type 200–204). */
export function isRtcpPacket(buffer: Uint8Array): boolean {
  const pt = buffer[PT_OFFSET] ?? 0;
  return buffer.length >= HEADER_LENGTH + 4 && (buffer[0] ?? 0) >> VERSION_SHIFT === 2 && pt >= 200 && pt <= 204;
}

/** Parses a compound RTCP packet; throws {@link PacketParseError} on a truncated or bad packet. */
export function parseRtcpCompound(buffer: Uint8Array): RtcpPacket[] {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < HEADER_LENGTH) throw new PacketParseError('RTCP header', buffer.length - offset, HEADER_LENGTH);
    const first = view.getUint8(offset);
    if (first >> VERSION_SHIFT !== 2) throw new PacketParseError(`RTCP version ${first >> VERSION_SHIFT}`, buffer.length - offset, HEADER_LENGTH);
    const count = first & COUNT_MASK;
    const packetType = view.getUint8(offset + PT_OFFSET);
    const length = (view.getUint16(offset + LENGTH_OFFSET) + 1) * 4;
    if (buffer.length - offset < length) throw new PacketParseError('RTCP packet', buffer.length - offset, length);
    let end = offset + length;
    if (first & PADDING_MASK) end -= view.getUint8(end - 1);
    packets.push(parseOne(view, offset, end, packetType, count));
    offset += length;
  }
  return packets;
}

function parseOne(view: DataView, offset: number, end: number, packetType: number, count: number): RtcpPacket {
  const need = (bytes: number, what: string): void => {
    if (end - offset < bytes) throw new PacketParseError(what, end - offset, bytes);
  };
  switch (packetType) {
    case RtcpPacketType.SR: {
      need(SENDER_INFO_OFFSET + SENDER_INFO_LENGTH + count * REPORT_BLOCK_LENGTH, 'RTCP SR');
      const info = offset + SENDER_INFO_OFFSET;
      return {
        type: 'SR',
        ssrc: view.getUint32(offset + SSRC_OFFSET),
        ntpSeconds: view.getUint32(info),
        ntpFraction: view.getUint32(info + 4),
        rtpTimestamp: view.getUint32(info + 8),
        packetCount: view.getUint32(info + 12),
        octetCount: view.getUint32(info + 16),
        reports: parseReports(view, info + SENDER_INFO_LENGTH, count),
      };
    }
    case RtcpPacketType.RR:
      need(SENDER_INFO_OFFSET + count * REPORT_BLOCK_LENGTH, 'RTCP RR');
      return { type: 'RR', ssrc: view.getUint32(offset + SSRC_OFFSET), reports: parseReports(view, offset + SENDER_INFO_OFFSET, count) };
    case RtcpPacketType.SDES:
      return { type: 'SDES', chunks: parseChunks(view, offset + HEADER_LENGTH, end, count) };
    case RtcpPacketType.BYE: {
      need(HEADER_LENGTH + count * 4, 'RTCP BYE');
      const sources: number[] = [];
      for (let i = 0; i < count; i++) sources.push(view.getUint32(offset + HEADER_LENGTH + i * 4));
      return { type: 'BYE', sources };
    }
    default:
      return { type: 'unknown', packetType };
  }
}

function parseReports(view: DataView, offset: number, count: number): RtcpReportBlock[] {
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * REPORT_BLOCK_LENGTH;
    const lossWord = view.getUint32(at + 4);
    const lost = lossWord & 0xffffff;
    reports.push({
      ssrc: view.getUint32(at),
      fractionLost: lossWord >>> 24,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      extendedHighestSequence: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lastSenderReport: view.getUint32(at + 16),
      delaySinceLastSenderReport: view.getUint32(at + 20),
    });
  }
  return reports;
}

function parseChunks(view: DataView, offset: number, end: number, count: number): { ssrc: number; cname: string }[] {
  const chunks: { ssrc: number; cname: string }[] = [];
  let at = offset;
  for (let i = 0; i < count && at + 4 <= end; i++) {
    const ssrc = view.getUint32(at);
    at += 4;
    let cname = '';
    while (at < end) {
      const itemType = view.getUint8(at);
      if (itemType === 0) break;
      const itemLength = view.getUint8(at + 1);
      if (at + 2 + itemLength > end) throw new PacketParseError('RTCP SDES item', end - at, 2 + itemLength);
      if (itemType === SDES_CNAME) cname = Buffer.from(view.buffer, view.byteOffset + at + 2, itemLength).toString('utf8');
      at += 2 + itemLength;
    }
    // Skip the terminating zero(s) up to the next 32-bit boundary from the chunk start.
    at = offset + Math.ceil((at + 1 - offset) / 4) * 4;
    offset = at;
    chunks.push({ ssrc, cname });
  }
  return chunks;
}

/** Serialises packets into one compound RTCP datagram (RFC 3550 §6.1: start with SR or RR). */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(serializeOne));
}

function serializeOne(packet: RtcpPacket): Buffer {
  switch (packet.type) {
    case 'SR': {
      const buffer = header(RtcpPacketType.SR, packet.reports.length, SENDER_INFO_OFFSET + SENDER_INFO_LENGTH + packet.reports.length * REPORT_BLOCK_LENGTH);
      buffer.writeUInt32BE(packet.ssrc >>> 0, SSRC_OFFSET);
      const info = SENDER_INFO_OFFSET;
      buffer.writeUInt32BE(packet.ntpSeconds >>> 0, info);
      buffer.writeUInt32BE(packet.ntpFraction >>> 0, info + 4);
      buffer.writeUInt32BE(packet.rtpTimestamp >>> 0, info + 8);
      buffer.writeUInt32BE(packet.packetCount >>> 0, info + 12);
      buffer.writeUInt32BE(packet.octetCount >>> 0, info + 16);
      writeReports(buffer, info + SENDER_INFO_LENGTH, packet.reports);
      return buffer;
    }
    case 'RR': {
      const buffer = header(RtcpPacketType.RR, packet.reports.length, SENDER_INFO_OFFSET + packet.reports.length * REPORT_BLOCK_LENGTH);
      buffer.writeUInt32BE(packet.ssrc >>> 0, SSRC_OFFSET);
      writeReports(buffer, SENDER_INFO_OFFSET, packet.reports);
      return buffer;
    }
    case 'SDES': {
      const chunks = packet.chunks.map((chunk) => {
        const text = Buffer.from(chunk.cname, 'utf8').subarray(0, 255);
        // SSRC + item header + text + at least one zero octet, padded to 32 bits.
        const chunkBuffer = Buffer.alloc(Math.ceil((4 + 2 + text.length + 1) / 4) * 4);
        chunkBuffer.writeUInt32BE(chunk.ssrc >>> 0, 0);
        chunkBuffer[4] = SDES_CNAME;
        chunkBuffer[5] = text.length;
        text.copy(chunkBuffer, 6);
        return chunkBuffer;
      });
      const body = Buffer.concat(chunks);
      const buffer = header(RtcpPacketType.SDES, packet.chunks.length, HEADER_LENGTH + body.length);
      body.copy(buffer, HEADER_LENGTH);
      return buffer;
    }
    case 'BYE': {
      const buffer = header(RtcpPacketType.BYE, packet.sources.length, HEADER_LENGTH + packet.sources.length * 4);
      packet.sources.forEach((source, i) => buffer.writeUInt32BE(source >>> 0, HEADER_LENGTH + i * 4));
      return buffer;
    }
    case 'unknown':
      return Buffer.alloc(0);
  }
}

function header(packetType: number, count: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  buffer[0] = (2 << VERSION_SHIFT) | (count & COUNT_MASK);
  buffer[PT_OFFSET] = packetType;
  buffer.writeUInt16BE(length / 4 - 1, LENGTH_OFFSET);
  return buffer;
}

function writeReports(buffer: Buffer, offset: number, reports: readonly RtcpReportBlock[]): void {
  reports.forEach((report, i) => {
    const at = offset + i * REPORT_BLOCK_LENGTH;
    const lost = Math.max(-0x800000, Math.min(0x7fffff, report.cumulativeLost)) & 0xffffff;
    buffer.writeUInt32BE(report.ssrc >>> 0, at);
    buffer.writeUInt32BE((((report.fractionLost & 0xff) << 24) | lost) >>> 0, at + 4);
    buffer.writeUInt32BE(report.extendedHighestSequence >>> 0, at + 8);
    buffer.writeUInt32BE(report.jitter >>> 0, at + 12);
    buffer.writeUInt32BE(report.lastSenderReport >>> 0, at + 16);
    buffer.writeUInt32BE(report.delaySinceLastSenderReport >>> 0, at + 20);
  });
}
