// The phones' ears: one UDP port where every Play on Phone call's RTP goes (the SDP of the SIPp phone
// names it). Run as its own process (`fork`) so its CPU is not the HTTP client's. Counts packets per
// SSRC (openum's RTP ports are reused between calls; the SSRC is per call) with the first and last
// arrival and the largest gap, and echoes every packet back when asked (a phone that talks back).
//
//   fork('dist/bench/support/rtp-sink.js', [port, echo ? '1' : '0']); send 'report' → RtpSinkReport
import { createSocket } from 'node:dgram';
import { processUsage } from './openum-process.js';

/** One call's stream as the sink saw it. */
export interface RtpStreamSeen {
  ssrc: number;
  packets: number;
  /** ms, from the sink's own performance.now(). */
  firstMs: number;
  lastMs: number;
  /** The largest gap between two packets, ms. */
  maxGapMs: number;
}

/** What the sink answers to 'report'. */
export interface RtpSinkReport {
  streams: RtpStreamSeen[];
  /** Datagrams too short to be RTP. */
  malformed: number;
  cpuSeconds: number;
  rssBytes: number;
}

const port = Number(process.argv[2]);
const echo = process.argv[3] === '1';
const streams = new Map<number, RtpStreamSeen>();
let malformed = 0;

const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 2 ** 20 });
socket.on('message', (packet, from) => {
  if (packet.length < 12) {
    malformed++;
    return;
  }
  const now = performance.now();
  const ssrc = packet.readUInt32BE(8);
  const seen = streams.get(ssrc);
  if (seen === undefined) streams.set(ssrc, { ssrc, packets: 1, firstMs: now, lastMs: now, maxGapMs: 0 });
  else {
    seen.packets++;
    seen.maxGapMs = Math.max(seen.maxGapMs, now - seen.lastMs);
    seen.lastMs = now;
  }
  if (echo) socket.send(packet, from.port, from.address);
});
socket.bind(port, '127.0.0.1', () => process.send?.('ready'));

process.on('message', (message) => {
  if (message === 'report') {
    const report: RtpSinkReport = { streams: [...streams.values()], malformed, ...processUsage(process.pid) };
    process.send?.(report);
  }
});
// The parent going away (or closing the channel) ends the sink.
process.on('disconnect', () => {
  socket.close();
  process.exit(0);
});
