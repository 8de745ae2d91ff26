// Minimal pcap (libpcap, Ethernet or Linux cooked) reader for tests: yields the UDP payloads.
import { readFileSync } from 'node:fs';

/** One UDP datagram from a capture. */
export interface PcapUdpPacket {
  /** Capture time, microseconds. */
  timeUs: number;
  /** Source IPv4 address. */
  source: string;
  /** Source port. */
  sourcePort: number;
  /** Destination IPv4 address. */
  destination: string;
  /** Destination port. */
  destinationPort: number;
  /** UDP payload. */
  payload: Buffer;
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_LINUX_SLL = 113;

/** Reads every IPv4/UDP datagram of a pcap file (other frames are skipped). */
export function readPcapUdp(path: string): PcapUdpPacket[] {
  const file = readFileSync(path);
  const magic = file.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!littleEndian && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`${path}: not a pcap file`);
  }
  const nano = (littleEndian ? magic : file.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (offset: number): number => (littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20);
  const packets: PcapUdpPacket[] = [];
  let offset = 24;
  for (let count = 0; offset + 16 <= file.length && count < 1_000_000; count++) {
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const captured = u32(offset + 8);
    const frame = file.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    const ip = ipPayloadStart(frame, linkType);
    if (ip === undefined) continue;
    const packet = parseIpv4Udp(frame.subarray(ip));
    if (packet) packets.push({ timeUs: seconds * 1e6 + (nano ? Math.floor(fraction / 1000) : fraction), ...packet });
  }
  return packets;
}

function ipPayloadStart(frame: Buffer, linkType: number): number | undefined {
  if (linkType === LINKTYPE_ETHERNET) {
    let offset = 12;
    let etherType = frame.readUInt16BE(offset);
    // Skip 802.1Q VLAN tags.
    while (etherType === 0x8100 && offset + 6 <= frame.length) {
      offset += 4;
      etherType = frame.readUInt16BE(offset);
    }
    return etherType === 0x0800 ? offset + 2 : undefined;
  }
  if (linkType === LINKTYPE_LINUX_SLL) return frame.readUInt16BE(14) === 0x0800 ? 16 : undefined;
  return undefined;
}

function parseIpv4Udp(ip: Buffer): Omit<PcapUdpPacket, 'timeUs'> | undefined {
  if (ip.length < 20 || ip[0]! >> 4 !== 4 || ip[9] !== 17) return undefined;
  const headerLength = (ip[0]! & 0x0f) * 4;
  const totalLength = ip.readUInt16BE(2);
  const udp = ip.subarray(headerLength, Math.min(totalLength, ip.length));
  if (udp.length < 8) return undefined;
  const udpLength = udp.readUInt16BE(4);
  return {
    source: Array.from(ip.subarray(12, 16)).join('.'),
    destination: Array.from(ip.subarray(16, 20)).join('.'),
    sourcePort: udp.readUInt16BE(0),
    destinationPort: udp.readUInt16BE(2),
    payload: Buffer.from(udp.subarray(8, Math.min(udpLength, udp.length))),
  };
}

/** Directory where Debian's sip-tester package installs SIPp's sample pcaps. */
export const SIPP_PCAP_DIR = '/usr/share/sip-tester';
