import type { RtcpReportBlock } from './rtcp-packet.js';
import { Unwrapper } from './unwrapper.js';

/**
 * Per-source reception figures for RTCP report blocks: loss (RFC 3550 §A.3), interarrival jitter
 * (§A.8) and LSR/DLSR from the peer's last sender report (§6.4.1).
 */
export class ReceptionStats {
  private readonly clockRate: number;
  private readonly unwrapper = new Unwrapper(16);
  private ssrc: number | undefined;
  private baseSeq = 0;
  private maxSeq = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitterEstimate = 0;
  private lastTransit: number | undefined;
  private lastSenderReport = 0;
  private lastSenderReportArrival: number | undefined;

  /** `clockRate` of the RTP timestamps (8000 for G.711). */
  constructor(clockRate = 8000) {
    this.clockRate = clockRate;
  }

  /** Records one arriving RTP packet; `arrivalMs` on any monotonic clock. */
  onPacket(ssrc: number, sequenceNumber: number, timestamp: number, arrivalMs: number): void {
    if (ssrc !== this.ssrc) this.restart(ssrc, sequenceNumber);
    const seq = this.unwrapper.unwrap(sequenceNumber);
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (seq < this.baseSeq) this.baseSeq = seq;
    this.received++;
    // §A.8: J += (|D| − J) / 16, with transit in timestamp units; 32-bit wrap of `timestamp` cancels out in D.
    const transit = Math.round((arrivalMs * this.clockRate) / 1000) - timestamp;
    if (this.lastTransit !== undefined) {
      let d = transit - this.lastTransit;
      if (d > 0x8000_0000) d -= 0x1_0000_0000;
      if (d < -0x8000_0000) d += 0x1_0000_0000;
      this.jitterEstimate += (Math.abs(d) - this.jitterEstimate) / 16;
    }
    this.lastTransit = transit;
  }

  /** Records the peer's sender report (NTP seconds and fraction) at `arrivalMs`. */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSenderReport = (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
    this.lastSenderReportArrival = arrivalMs;
  }

  /** The source being reported on, once a packet arrived. */
  get source(): number | undefined {
    return this.ssrc;
  }

  /** Current interarrival jitter estimate, timestamp units. */
  get jitter(): number {
    return this.jitterEstimate;
  }

  /** Packets expected and lost so far (RFC 3550 §A.3; lost may be negative with duplicates). */
  get totals(): { expected: number; received: number; lost: number } {
    const expected = this.ssrc === undefined ? 0 : this.maxSeq - this.baseSeq + 1;
    return { expected, received: this.received, lost: expected - this.received };
  }

  /** Builds a report block for `nowMs` and starts a new interval for `fractionLost`. */
  reportBlock(nowMs: number): RtcpReportBlock | undefined {
    if (this.ssrc === undefined) return undefined;
    const { expected, lost } = this.totals;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    const delay = this.lastSenderReportArrival === undefined ? 0 : Math.round(((nowMs - this.lastSenderReportArrival) * 65536) / 1000);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(fractionLost, 255),
      cumulativeLost: lost,
      extendedHighestSequence: this.maxSeq >>> 0,
      jitter: Math.floor(this.jitterEstimate),
      lastSenderReport: this.lastSenderReport,
      delaySinceLastSenderReport: delay,
    };
  }

  private restart(ssrc: number, sequenceNumber: number): void {
    this.ssrc = ssrc;
    this.unwrapper.reset();
    this.baseSeq = this.unwrapper.unwrap(sequenceNumber);
    this.maxSeq = this.baseSeq - 1;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.jitterEstimate = 0;
    this.lastTransit = undefined;
  }
}
