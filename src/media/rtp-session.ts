import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { DtmfDetector } from './dtmf-detector.js';
import { MediaSocketError } from './errors.js';
import { codecForPayloadType, decodeG711, encodeFrame, SAMPLES_PER_FRAME, silentFrame, type G711CodecName } from './g711.js';
import { JitterBuffer } from './jitter-buffer.js';
import { assertDigitSendable, assertStartable, DEFAULT_DIGIT_MS, startedMedia } from './session-guards.js';
import type { MediaClock, MediaTick } from './media-clock.js';
import { describeMediaChange, type MediaChange, type NegotiatedMedia } from './offer-answer.js';
import type { PortSource } from './port-pool.js';
import { ReceptionStats } from './reception-stats.js';
import { isRtcpPacket, parseRtcpCompound, serializeRtcpCompound, type RtcpPacket } from './rtcp-packet.js';
import { isRtpPacket, parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet.js';
import { zeroRtpCounters, type AudioSource, type RtpSessionEvents, type RtpSessionOptions, type RtpSessionStats } from './rtp-session-types.js';
import { digitToEvent, serializeTelephoneEvent } from './telephone-event.js';

/** One silent frame per codec, encoded once (payload bytes are only read by the socket). */
const ENCODED_SILENCE: Readonly<Record<G711CodecName, Uint8Array>> = {
  PCMU: encodeFrame('PCMU', silentFrame()),
  PCMA: encodeFrame('PCMA', silentFrame()),
};

/** Most received frames played out in one tick after the clock skipped ticks (the jitter buffer holds 1 s). */
const MAX_FRAMES_PER_TICK = 50;

/**
 * RTP from before {@link RtpSession.start}: the peer may send as soon as it has our answer, before its
 * ACK reaches us — and, with media threads, before the start command reaches the thread. The newest
 * packets of the last 100 ms are kept (older ones are ringback or early media of an outbound call, or
 * a sender whose ACK was lost), and only those from the address the SDP names are played: with NAT the
 * first live packet latches instead, as before. Each held frame adds 20 ms to the receive delay.
 */
const MAX_EARLY_PACKETS = 10;
const EARLY_WINDOW_MS = 100;

/** The frame handed to `audio` listeners for a lost packet; shared, so listeners must not modify it. */
const CONCEALMENT: Int16Array = silentFrame();

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;
/** RFC 4733 §2.5.1.4: the end packet is sent three times. */
const END_PACKET_COPIES = 3;
/** Default volume of generated tones, −dBm0 (RFC 4733 §2.3.4). */
const DTMF_VOLUME = 10;

interface OutgoingDigit {
  event: number;
  /** Target duration, timestamp units. */
  duration: number;
  /** Start timestamp once begun. */
  timestamp?: number;
  /** Duration sent so far. */
  sent: number;
  /** End packets still to send. */
  endCopiesLeft: number;
}

type Endpoint = { address: string; port: number };

/**
 * One call's RTP/RTCP over a pair of UDP sockets from the port pool. Received audio goes through the
 * jitter buffer and comes out decoded, one frame per tick of the shared media clock, as `audio`
 * events; telephone-event packets come out as `dtmf` digits. Outgoing audio is pulled from an
 * {@link AudioSource} on the same tick. Knows nothing about SIP: the caller applies SDP outcomes with
 * {@link RtpSession.start}/{@link RtpSession.update}.
 */
export class RtpSession extends EventEmitter<RtpSessionEvents> {
  /** Local RTP port (RTCP is `port + 1`). */
  readonly port: number;
  private readonly pool: PortSource;
  private readonly clock: MediaClock;
  private readonly rtpSocket: Socket;
  private readonly rtcpSocket: Socket;
  private readonly options: RtpSessionOptions;
  private readonly inactivityTimeoutMs: number;
  private readonly rtcpIntervalMs: number;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly cname: string;
  private readonly jitterBuffer: JitterBuffer;
  private readonly dtmfDetector = new DtmfDetector();
  private readonly reception = new ReceptionStats();
  private media: NegotiatedMedia | undefined;
  private source: AudioSource | undefined;
  private unsubscribe: (() => void) | undefined;
  private rtpTarget: Endpoint | undefined;
  private rtcpTarget: Endpoint | undefined;
  private latched = false;
  /** RTP received before {@link start}, with when it came (the newest MAX_EARLY_PACKETS). */
  private readonly early: { message: Buffer; remote: RemoteInfo; at: number }[] = [];
  private rtcpLatched = false;
  private readonly ssrc: number;
  private sequenceNumber: number;
  private timestamp: number;
  private talkspurt = true;
  /** Index of the last clock tick handled, to play out one received frame per 20 ms even across skipped ticks. */
  private lastTickIndex: number | undefined;
  private readonly digits: OutgoingDigit[] = [];
  private lastRtpAt = 0;
  private timedOut = false;
  private nextRtcpAt = 0;
  private sentSinceReport = false;
  private payloadOctetsOut = 0;
  private closed = false;
  private readonly counters = zeroRtpCounters();

  /** Takes a port pair from the pool and binds both sockets. */
  static async open(options: RtpSessionOptions): Promise<RtpSession> {
    const attempts = options.bindAttempts ?? 10;
    const bindAddress = options.bindAddress ?? '0.0.0.0';
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const port = options.pool.acquire();
      const rtp = createSocket('udp4');
      const rtcp = createSocket('udp4');
      try {
        await bind(rtp, port, bindAddress);
        await bind(rtcp, port + 1, bindAddress);
        return new RtpSession(options, port, rtp, rtcp);
      } catch (error) {
        closeQuietly(rtp);
        closeQuietly(rtcp);
        options.pool.release(port);
        lastError = error;
        // Another process holds the port: try the next pair. Anything else will not get better.
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
      }
    }
    throw new MediaSocketError('cannot bind RTP/RTCP sockets', lastError);
  }

  private constructor(options: RtpSessionOptions, port: number, rtpSocket: Socket, rtcpSocket: Socket) {
    super();
    this.options = options;
    this.port = port;
    this.pool = options.pool;
    this.clock = options.clock;
    this.rtpSocket = rtpSocket;
    this.rtcpSocket = rtcpSocket;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 30_000;
    this.rtcpIntervalMs = options.rtcpIntervalMs ?? 5000;
    this.random = options.random ?? Math.random;
    this.wallClock = options.wallClock ?? Date.now;
    this.cname = options.cname ?? `openum@${options.bindAddress ?? '0.0.0.0'}`;
    this.jitterBuffer = new JitterBuffer(options.jitterBuffer);
    this.ssrc = Math.floor(this.random() * 0x1_0000_0000) >>> 0;
    // RFC 3550 §5.1: random initial sequence number and timestamp.
    this.sequenceNumber = Math.floor(this.random() * 0x10000);
    this.timestamp = Math.floor(this.random() * 0x1_0000_0000) >>> 0;
    rtpSocket.on('message', (message, remote) => this.onRtp(message, remote));
    rtcpSocket.on('message', (message, remote) => this.onRtcp(message, remote));
    // Sending to an unreachable port can surface as a socket error; RTP is best effort, so ignore.
    rtpSocket.on('error', () => undefined);
    rtcpSocket.on('error', () => undefined);
  }

  /** Our SSRC. */
  get localSsrc(): number {
    return this.ssrc;
  }

  /** The media in use, once started. */
  get negotiated(): NegotiatedMedia | undefined {
    return this.media;
  }

  /** Whether {@link close} ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts media with the outcome of offer/answer; joins the shared clock. */
  start(media: NegotiatedMedia): void {
    assertStartable(this.closed, this.media);
    this.media = media;
    this.resetTargets();
    this.nextRtcpAt = this.clock.now() + this.nextRtcpDelay();
    this.unsubscribe = this.clock.subscribe((tick) => this.onTick(tick));
    const since = this.clock.now() - EARLY_WINDOW_MS;
    for (const early of this.early.splice(0)) {
      const named = early.remote.address === media.remoteAddress && early.remote.port === media.remotePort;
      if (named && early.at >= since) this.onRtp(early.message, early.remote, early.at);
      else this.counters.early++;
    }
    // After the held packets (which carry their own, earlier times): the inactivity timeout counts from now.
    this.lastRtpAt = this.clock.now();
  }

  /** Applies a re-offer's outcome (new address, codec, hold); returns what changed. */
  update(media: NegotiatedMedia): MediaChange {
    const previous = startedMedia(this.closed, this.media);
    const change = describeMediaChange(previous, media);
    this.media = media;
    if (change.remoteChanged) {
      this.resetTargets();
      this.dtmfDetector.reset();
    }
    if (change.resume || (media.receiving && !previous.receiving)) {
      this.lastRtpAt = this.clock.now();
      this.timedOut = false;
    }
    return change;
  }

  /** Sets (or clears) where outgoing audio comes from. */
  setSource(source: AudioSource | undefined): void {
    this.source = source;
  }

  /** Queues an RFC 4733 digit; while it plays, audio from the source is paused. */
  sendDigit(digit: string, durationMs = DEFAULT_DIGIT_MS): void {
    assertDigitSendable(this.closed, this.media, durationMs);
    this.digits.push({ event: digitToEvent(digit), duration: Math.round(durationMs * 8), sent: 0, endCopiesLeft: END_PACKET_COPIES });
  }

  /** A snapshot of the counters. */
  get stats(): RtpSessionStats {
    const jitterBuffer = this.jitterBuffer.stats;
    const block = this.reception.totals;
    return {
      ...this.counters,
      packetsLost: Math.max(0, block.lost),
      jitterMs: this.currentJitterMs(),
      jitterBuffer,
    };
  }

  /** Closes both sockets, leaves the clock and returns the ports. Synchronous and idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.digits.length = 0;
    this.early.length = 0;
    this.source = undefined;
    closeQuietly(this.rtpSocket);
    closeQuietly(this.rtcpSocket);
    this.pool.release(this.port);
    this.emit('close');
  }

  /** `at`: when it arrived (a held packet's own time, for the jitter estimate). */
  private onRtp(message: Buffer, remote: RemoteInfo, at = this.clock.now()): void {
    if (this.closed) return;
    if (!isRtpPacket(message)) {
      this.counters.invalid++;
      return;
    }
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(message);
    } catch {
      this.counters.invalid++;
      return;
    }
    const media = this.media;
    if (!media) {
      if (this.early.length >= MAX_EARLY_PACKETS) {
        this.early.shift();
        this.counters.early++;
      }
      this.early.push({ message, remote, at });
      return;
    }
    if (!this.latched) {
      // Symmetric RTP (RFC 4961): answer to where the peer's packets really come from (NAT).
      this.latched = true;
      this.rtpTarget = { address: remote.address, port: remote.port };
      if (!this.rtcpLatched) this.rtcpTarget = { address: remote.address, port: remote.port + 1 };
      this.emit('latched', { address: remote.address, port: remote.port });
    } else if (this.rtpTarget && (remote.address !== this.rtpTarget.address || remote.port !== this.rtpTarget.port)) {
      this.counters.foreign++;
      return;
    }
    const now = at;
    this.counters.packetsIn++;
    this.counters.bytesIn += message.length;
    this.lastRtpAt = now;
    this.timedOut = false;
    this.reception.onPacket(packet.ssrc, packet.sequenceNumber, packet.timestamp, now);

    if (media.telephoneEvent && packet.payloadType === media.telephoneEvent.receivePayloadType) {
      for (const digit of this.dtmfDetector.process(packet)) {
        this.counters.digitsIn++;
        this.emit('dtmf', digit);
      }
      return;
    }
    if (this.codecFor(packet.payloadType) === undefined) {
      this.counters.unknownPayload++;
      return;
    }
    this.jitterBuffer.push(packet);
  }

  private onRtcp(message: Buffer, remote: RemoteInfo): void {
    if (this.closed || !isRtcpPacket(message)) return;
    let packets: RtcpPacket[];
    try {
      packets = parseRtcpCompound(message);
    } catch {
      return;
    }
    this.counters.rtcpIn++;
    if (!this.rtcpLatched && this.media) {
      this.rtcpLatched = true;
      this.rtcpTarget = { address: remote.address, port: remote.port };
    }
    for (const packet of packets) {
      if (packet.type === 'SR') this.reception.onSenderReport(packet.ntpSeconds, packet.ntpFraction, this.clock.now());
    }
  }

  private onTick(tick: MediaTick): void {
    const media = this.media;
    if (this.closed || !media) return;
    // Received audio must not depend on the send clock keeping up: after a stall the clock skips
    // ticks (sending late audio helps no one), but every 20 ms that passed still takes a frame out of
    // the jitter buffer, so nothing that arrived is dropped from a recording.
    const elapsed = this.lastTickIndex === undefined ? 1 : tick.index - this.lastTickIndex;
    this.lastTickIndex = tick.index;
    const frames = elapsed >= 1 && elapsed <= MAX_FRAMES_PER_TICK ? elapsed : 1;
    for (let i = 0; i < frames; i++) this.playReceived();
    if (media.sending) this.sendTick(media);
    else this.talkspurt = true;
    // The timestamp runs with the clock whether or not we sent (RFC 3550 §5.1: sampling instant).
    this.timestamp = (this.timestamp + SAMPLES_PER_FRAME) >>> 0;
    const now = this.clock.now();
    if (now >= this.nextRtcpAt) {
      this.nextRtcpAt = now + this.nextRtcpDelay();
      this.sendRtcp(now);
    }
    this.checkInactivity(media, now);
  }

  private playReceived(): void {
    const frame = this.jitterBuffer.pop();
    if (!frame) return;
    if (frame.kind === 'concealed') {
      this.emit('audio', CONCEALMENT, { concealed: true });
      return;
    }
    const codec = this.codecFor(frame.packet.payloadType);
    if (codec) this.emit('audio', decodeG711(codec, frame.packet.payload), { concealed: false });
  }

  private sendTick(media: NegotiatedMedia): void {
    const digit = this.digits[0];
    if (digit && media.telephoneEvent) {
      this.sendDigitPacket(digit, media.telephoneEvent.payloadType);
      return;
    }
    const frame = this.source?.readFrame();
    if (frame === undefined) {
      if (this.options.sendSilenceWhenIdle === false) {
        this.talkspurt = true;
        return;
      }
      // Most ticks of most calls are idle: send the codec's silence, encoded once per process.
      this.sendRtp(media.payloadType, ENCODED_SILENCE[media.codec], this.timestamp);
      return;
    }
    this.sendRtp(media.payloadType, encodeFrame(media.codec, frame), this.timestamp);
  }

  private sendDigitPacket(digit: OutgoingDigit, payloadType: number): void {
    if (digit.timestamp === undefined) {
      digit.timestamp = this.timestamp;
      // RFC 4733 §2.5.1.2: the first packet of an event carries the marker bit.
      this.talkspurt = true;
    }
    const ending = digit.sent + SAMPLES_PER_FRAME >= digit.duration || digit.endCopiesLeft < END_PACKET_COPIES;
    if (!ending) digit.sent += SAMPLES_PER_FRAME;
    else {
      digit.sent = digit.duration;
      digit.endCopiesLeft--;
    }
    const payload = serializeTelephoneEvent({ event: digit.event, end: ending, volume: DTMF_VOLUME, duration: digit.sent });
    this.sendRtp(payloadType, payload, digit.timestamp);
    if (ending && digit.endCopiesLeft === 0) {
      this.digits.shift();
      this.counters.digitsOut++;
      // Audio after an event starts a new talkspurt.
      this.talkspurt = true;
    }
  }

  private sendRtp(payloadType: number, payload: Uint8Array, timestamp: number): void {
    const target = this.rtpTarget;
    if (!target) return;
    const datagram = serializeRtpPacket({
      marker: this.talkspurt,
      payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp,
      ssrc: this.ssrc,
      csrc: [],
      paddingLength: 0,
      payload,
    });
    this.talkspurt = false;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.counters.packetsOut++;
    this.counters.bytesOut += datagram.length;
    this.payloadOctetsOut += payload.length;
    this.sentSinceReport = true;
    this.rtpSocket.send(datagram, target.port, target.address);
  }

  private sendRtcp(now: number): void {
    const target = this.rtcpTarget;
    if (!target) return;
    const block = this.reception.reportBlock(now);
    const reports = block ? [block] : [];
    const wall = this.wallClock();
    // RFC 3550 §6.4: an SR if we sent RTP since the last report, else an RR; always with SDES CNAME.
    const report: RtcpPacket = this.sentSinceReport
      ? {
          type: 'SR',
          ssrc: this.ssrc,
          ntpSeconds: Math.floor(wall / 1000) + NTP_UNIX_OFFSET,
          ntpFraction: Math.floor(((wall % 1000) / 1000) * 0x1_0000_0000),
          rtpTimestamp: this.timestamp,
          packetCount: this.counters.packetsOut,
          octetCount: this.payloadOctetsOut,
          reports,
        }
      : { type: 'RR', ssrc: this.ssrc, reports };
    this.sentSinceReport = false;
    const datagram = serializeRtcpCompound([report, { type: 'SDES', chunks: [{ ssrc: this.ssrc, cname: this.cname }] }]);
    this.counters.rtcpOut++;
    this.rtcpSocket.send(datagram, target.port, target.address);
  }

  private checkInactivity(media: NegotiatedMedia, now: number): void {
    if (this.inactivityTimeoutMs <= 0 || this.timedOut) return;
    // A peer that holds with inactive (or only receives) sends nothing: no timeout then.
    const peerSends = media.receiving;
    if (!peerSends) {
      this.lastRtpAt = now;
      return;
    }
    if (now - this.lastRtpAt >= this.inactivityTimeoutMs) {
      this.timedOut = true;
      this.emit('timeout');
    }
  }

  private codecFor(payloadType: number): G711CodecName | undefined {
    const media = this.media;
    if (media && payloadType === media.receivePayloadType) return media.codec;
    return codecForPayloadType(payloadType);
  }

  private resetTargets(): void {
    const media = this.media;
    this.latched = false;
    this.rtcpLatched = false;
    this.rtpTarget = media ? { address: media.remoteAddress, port: media.remotePort } : undefined;
    this.rtcpTarget = media ? { address: media.remoteAddress, port: media.remoteRtcpPort } : undefined;
  }

  private nextRtcpDelay(): number {
    return this.rtcpIntervalMs * (0.5 + this.random());
  }

  private currentJitterMs(): number {
    return (this.reception.jitter * 1000) / 8000;
  }
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed or never bound: nothing left to release.
  }
}
