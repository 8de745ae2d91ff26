import type { DtmfDigitEvent } from './dtmf-detector.js';
import type { JitterBufferOptions, JitterBufferStats } from './jitter-buffer.js';
import type { MediaClock } from './media-clock.js';
import type { PortSource } from './port-pool.js';

/** Where outgoing audio comes from: asked once per 20 ms tick (the player implements this). */
export interface AudioSource {
  /** The next 160-sample frame, or undefined when there is nothing to play right now. */
  readFrame(): Int16Array | undefined;
}

/** Options of {@link RtpSession.open}. */
export interface RtpSessionOptions {
  /** Where the RTP/RTCP pair comes from (a {@link PortPool}, or the one port a media thread was given). */
  pool: PortSource;
  /** The shared media clock. */
  clock: MediaClock;
  /** Address to bind (IPv4). Default `0.0.0.0`. */
  bindAddress?: string;
  /** Emit `timeout` when no RTP arrives for this long, ms; 0 disables. Default 30000. */
  inactivityTimeoutMs?: number;
  /** Mean RTCP report interval, ms, randomised ×0.5–1.5 (RFC 3550 §6.3.1). Default 5000. */
  rtcpIntervalMs?: number;
  /** Jitter buffer tuning. */
  jitterBuffer?: JitterBufferOptions;
  /** RTCP CNAME. Default `openum@<bind address>`. */
  cname?: string;
  /** Send encoded silence when the source has nothing, so peers and NATs see a live stream. Default true. */
  sendSilenceWhenIdle?: boolean;
  /** Random numbers in [0, 1) for SSRC, first sequence number and timestamp. Default Math.random. */
  random?: () => number;
  /** Wall-clock ms for RTCP NTP timestamps. Default Date.now. */
  wallClock?: () => number;
  /** Ports to try when a bind finds its port taken by another process. Default 10. */
  bindAttempts?: number;
}

/** Information that comes with a received audio frame. */
export interface ReceivedFrameInfo {
  /** The frame is concealment (silence) for a lost or missing packet. */
  concealed: boolean;
}

/** Events of an {@link RtpSession}. */
export interface RtpSessionEvents {
  /** A decoded 20 ms frame of 16-bit PCM, once per tick after the jitter buffer filled; read-only (concealment frames are shared). */
  audio: [frame: Int16Array, info: ReceivedFrameInfo];
  /** A DTMF digit (one per key press). */
  dtmf: [digit: DtmfDigitEvent];
  /** The peer's RTP came from this address (symmetric RTP: we now send there). */
  latched: [remote: { address: string; port: number }];
  /** No RTP for `inactivityTimeoutMs`; emitted once until RTP resumes. */
  timeout: [];
  /** The session closed. */
  close: [];
}

/** Counters of an {@link RtpSession}. */
export interface RtpSessionStats {
  /** RTP packets received (valid, from the peer). */
  packetsIn: number;
  /** RTP packets sent. */
  packetsOut: number;
  /** RTP bytes received (whole datagrams). */
  bytesIn: number;
  /** RTP bytes sent (whole datagrams). */
  bytesOut: number;
  /** Packets the peer sent that never arrived (RFC 3550 §A.3). */
  packetsLost: number;
  /** Datagrams that were not valid RTP. */
  invalid: number;
  /** RTP from a source other than the latched one, dropped. */
  foreign: number;
  /** RTP that arrived before the session started and was not played: beyond the newest 10, older than 100 ms at start, or not from the SDP's address. */
  early: number;
  /** RTP with a payload type not negotiated (e.g. comfort noise), ignored. */
  unknownPayload: number;
  /** DTMF digits received. */
  digitsIn: number;
  /** DTMF digits sent. */
  digitsOut: number;
  /** RTCP compounds sent. */
  rtcpOut: number;
  /** RTCP compounds received. */
  rtcpIn: number;
  /** Interarrival jitter, ms (RFC 3550 §A.8). */
  jitterMs: number;
  /** The jitter buffer's counters. */
  jitterBuffer: JitterBufferStats;
}

/** The counters an RTP session keeps itself (the rest of {@link RtpSessionStats} is derived), all zero. */
export function zeroRtpCounters(): Omit<RtpSessionStats, 'packetsLost' | 'jitterMs' | 'jitterBuffer'> {
  return { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, invalid: 0, foreign: 0, early: 0, unknownPayload: 0, digitsIn: 0, digitsOut: 0, rtcpOut: 0, rtcpIn: 0 };
}
