import { MediaArgumentError, PacketParseError } from './errors.js';

/*
 * RTP fixed header, RFC 3550 §5.1:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Header extension, RFC 3550 §5.3.1 (present when X=1, after the CSRCs):
 *
 * |      defined by profile       |           length              |
 * |                        header extension                       |
 *
 * Padding (P=1): the last payload octet counts the padding octets, itself included.
 */

const VERSION_SHIFT = 6;
const VERSION_MASK = 0x3;
const PADDING_MASK = 0x20;
const EXTENSION_MASK = 0x10;
const CC_MASK = 0x0f;
const MARKER_MASK = 0x80;
const PT_MASK = 0x7f;

const FIRST_BYTE_OFFSET = 0;
const SECOND_BYTE_OFFSET = 1;
const SEQUENCE_OFFSET = 2;
const TIMESTAMP_OFFSET = 4;
const SSRC_OFFSET = 8;
const CSRC_OFFSET = 12;
const CSRC_LENGTH = 4;
const EXTENSION_HEADER_LENGTH = 4;

/** RFC 3550 fixed header size in bytes. */
export const RTP_HEADER_LENGTH = 12;
/** The only RTP version in use (RFC 3550 §5.1). */
export const RTP_VERSION = 2;

/** An RTP header extension (RFC 3550 §5.3.1): profile-defined 16 bits and 32-bit-word data. */
export interface RtpHeaderExtension {
  /** The "defined by profile" field. */
  profile: number;
  /** Extension data, a multiple of 4 bytes. */
  data: Uint8Array;
}

/** One RTP packet. `payload` excludes padding. */
export interface RtpPacket {
  /** Marker bit: for audio, the first packet of a talkspurt (RFC 3551 §4.1). */
  marker: boolean;
  /** Payload type, 0–127. */
  payloadType: number;
  /** 16-bit sequence number. */
  sequenceNumber: number;
  /** 32-bit media timestamp. */
  timestamp: number;
  /** 32-bit synchronisation source. */
  ssrc: number;
  /** Contributing sources (at most 15). */
  csrc: number[];
  /** Header extension, if the X bit was set. */
  extension?: RtpHeaderExtension;
  /** Number of padding bytes that followed the payload on the wire (0 when P was clear). */
  paddingLength: number;
  /** Payload bytes. */
  payload: Uint8Array;
}

/** Fast check that a datagram looks like RTP version 2 with a payload type outside the RTCP range. */
export function isRtpPacket(buffer: Uint8Array): boolean {
  if (buffer.length < RTP_HEADER_LENGTH) return false;
  const first = buffer[FIRST_BYTE_OFFSET] ?? 0;
  const pt = (buffer[SECOND_BYTE_OFFSET] ?? 0) & PT_MASK;
  // RFC 5761 §4: RTCP packet types 200–204 land on PT 72–76 when the marker bit is read off.
  return (first >> VERSION_SHIFT) === RTP_VERSION && !(pt >= 72 && pt <= 76);
}

/** Parses an RTP packet (payload and extension are views into `buffer`); throws {@link PacketParseError} when truncated or not version 2. */
export function parseRtpPacket(buffer: Uint8Array): RtpPacket {
  if (buffer.length < RTP_HEADER_LENGTH) throw new PacketParseError('RTP header', buffer.length, RTP_HEADER_LENGTH);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const first = view.getUint8(FIRST_BYTE_OFFSET);
  const second = view.getUint8(SECOND_BYTE_OFFSET);
  const version = (first >> VERSION_SHIFT) & VERSION_MASK;
  if (version !== RTP_VERSION) throw new PacketParseError(`RTP version ${version}`, buffer.length, RTP_HEADER_LENGTH);

  const csrcCount = first & CC_MASK;
  let offset = CSRC_OFFSET + csrcCount * CSRC_LENGTH;
  if (buffer.length < offset) throw new PacketParseError('RTP CSRC list', buffer.length, offset);
  const csrc: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrc.push(view.getUint32(CSRC_OFFSET + i * CSRC_LENGTH));

  let extension: RtpHeaderExtension | undefined;
  if (first & EXTENSION_MASK) {
    if (buffer.length < offset + EXTENSION_HEADER_LENGTH) {
      throw new PacketParseError('RTP extension header', buffer.length, offset + EXTENSION_HEADER_LENGTH);
    }
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const dataStart = offset + EXTENSION_HEADER_LENGTH;
    const dataEnd = dataStart + words * 4;
    if (buffer.length < dataEnd) throw new PacketParseError('RTP extension', buffer.length, dataEnd);
    extension = { profile, data: buffer.subarray(dataStart, dataEnd) };
    offset = dataEnd;
  }

  let end = buffer.length;
  let paddingLength = 0;
  if (first & PADDING_MASK) {
    paddingLength = buffer[buffer.length - 1] ?? 0;
    // A padding count of 0 or one reaching into the header is invalid (RFC 3550 §A.1).
    if (paddingLength === 0 || end - paddingLength < offset) {
      throw new PacketParseError('RTP padding', buffer.length, offset + Math.max(paddingLength, 1));
    }
    end -= paddingLength;
  }

  const packet: RtpPacket = {
    marker: (second & MARKER_MASK) !== 0,
    payloadType: second & PT_MASK,
    sequenceNumber: view.getUint16(SEQUENCE_OFFSET),
    timestamp: view.getUint32(TIMESTAMP_OFFSET),
    ssrc: view.getUint32(SSRC_OFFSET),
    csrc,
    paddingLength,
    payload: buffer.subarray(offset, end),
  };
  if (extension) packet.extension = extension;
  return packet;
}

/** Bytes {@link serializeRtpPacket} writes for `packet`. */
export function rtpPacketByteLength(packet: RtpPacket): number {
  const extensionLength = packet.extension ? EXTENSION_HEADER_LENGTH + packet.extension.data.length : 0;
  return RTP_HEADER_LENGTH + packet.csrc.length * CSRC_LENGTH + extensionLength + packet.payload.length + packet.paddingLength;
}

/** Writes `packet` into `target` at `offset`; returns the number of bytes written. */
export function serializeRtpPacketTo(packet: RtpPacket, target: Uint8Array, offset = 0): number {
  if (packet.csrc.length > CC_MASK) throw new MediaArgumentError(`RTP CSRC count ${packet.csrc.length} > 15`);
  if (packet.extension && packet.extension.data.length % 4 !== 0) {
    throw new MediaArgumentError(`RTP extension length ${packet.extension.data.length} is not a multiple of 4`);
  }
  if (packet.paddingLength > 255) throw new MediaArgumentError(`RTP padding ${packet.paddingLength} > 255`);
  const length = rtpPacketByteLength(packet);
  if (target.length - offset < length) throw new MediaArgumentError(`RTP target too small: ${target.length - offset} < ${length}`);
  const view = new DataView(target.buffer, target.byteOffset + offset, length);
  view.setUint8(
    FIRST_BYTE_OFFSET,
    (RTP_VERSION << VERSION_SHIFT) |
      (packet.paddingLength > 0 ? PADDING_MASK : 0) |
      (packet.extension ? EXTENSION_MASK : 0) |
      packet.csrc.length,
  );
  view.setUint8(SECOND_BYTE_OFFSET, (packet.marker ? MARKER_MASK : 0) | (packet.payloadType & PT_MASK));
  view.setUint16(SEQUENCE_OFFSET, packet.sequenceNumber & 0xffff);
  view.setUint32(TIMESTAMP_OFFSET, packet.timestamp >>> 0);
  view.setUint32(SSRC_OFFSET, packet.ssrc >>> 0);
  let cursor = CSRC_OFFSET;
  for (const source of packet.csrc) {
    view.setUint32(cursor, source >>> 0);
    cursor += CSRC_LENGTH;
  }
  if (packet.extension) {
    view.setUint16(cursor, packet.extension.profile);
    view.setUint16(cursor + 2, packet.extension.data.length / 4);
    cursor += EXTENSION_HEADER_LENGTH;
    target.set(packet.extension.data, offset + cursor);
    cursor += packet.extension.data.length;
  }
  target.set(packet.payload, offset + cursor);
  cursor += packet.payload.length;
  if (packet.paddingLength > 0) {
    target.fill(0, offset + cursor, offset + cursor + packet.paddingLength);
    cursor += packet.paddingLength;
    view.setUint8(cursor - 1, packet.paddingLength);
  }
  return cursor;
}

/** Serialises `packet` into a new buffer. */
export function serializeRtpPacket(packet: RtpPacket): Buffer {
  const buffer = Buffer.alloc(rtpPacketByteLength(packet));
  serializeRtpPacketTo(packet, buffer);
  return buffer;
}
