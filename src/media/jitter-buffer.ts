import { MediaArgumentError } from './errors.js';
import { Unwrapper } from './unwrapper.js';

/** What the jitter buffer needs of an RTP packet. */
export interface JitterPacket {
  /** Synchronisation source; a change restarts the buffer. */
  ssrc: number;
  /** 16-bit sequence number. */
  sequenceNumber: number;
  /** 32-bit RTP timestamp. */
  timestamp: number;
  /** Payload type (kept for the decoder). */
  payloadType: number;
  /** Encoded audio. */
  payload: Uint8Array;
}

/** One 20 ms output of {@link JitterBuffer.pop}: a packet in order, or concealment for a gap. */
export type JitterFrame =
  | { kind: 'packet'; packet: JitterPacket }
  | { kind: 'concealed' };

/** Options of a {@link JitterBuffer}. */
export interface JitterBufferOptions {
  /** Packets held before playout starts (and after an underrun): the added delay, in 20 ms frames. Default 3. */
  depth?: number;
  /** Most packets held; beyond this the oldest are dropped to catch up. Default 50 (1 s). */
  capacity?: number;
  /** A sequence jump larger than this is a restart when the next packet follows it (RFC 3550 §A.1 MAX_DROPOUT). Default 3000. */
  maxDropout?: number;
  /** A backward jump larger than this is not a reordered packet (RFC 3550 §A.1 MAX_MISORDER). Default 100. */
  maxMisorder?: number;
}

/** Counters of a {@link JitterBuffer}, cumulative over SSRC changes. */
export interface JitterBufferStats {
  /** Packets pushed that were kept (not duplicates, not late). */
  received: number;
  /** Packets the sender sent that never arrived (expected − received, RFC 3550 §6.4.1), summed over SSRCs. */
  lost: number;
  /** Packets seen twice. */
  duplicates: number;
  /** Packets arriving after their slot was played or concealed. */
  late: number;
  /** Concealment frames produced (for gaps and underruns). */
  concealed: number;
  /** Packets dropped because the buffer was over capacity. */
  overflow: number;
  /** Restarts: SSRC changes and sequence jumps. */
  resyncs: number;
  /** Packets currently held. */
  buffered: number;
}

type PlayoutState = 'idle' | 'buffering' | 'playing';

/**
 * A fixed-depth jitter buffer as a synchronous core: `push()` packets as they arrive, `pop()` once per
 * 20 ms tick. Output is in sequence order; a missing packet becomes a concealment frame (the caller
 * plays silence), duplicates and packets older than the playout point are dropped. On an underrun it
 * conceals and rebuffers to `depth`; on an SSRC change or a confirmed sequence jump it restarts.
 */
export class JitterBuffer {
  private readonly depth: number;
  private readonly capacity: number;
  private readonly maxDropout: number;
  private readonly maxMisorder: number;
  private readonly unwrapper = new Unwrapper(16);
  private readonly packets = new Map<number, JitterPacket>();
  private state: PlayoutState = 'idle';
  private ssrc: number | undefined;
  /** Extended sequence number of the next slot to play. */
  private playout = 0;
  /** RFC 3550 §A.1 bookkeeping for the current source. */
  private baseSeq = 0;
  private highestSeq = 0;
  private receivedThisSource = 0;
  private lostBefore = 0;
  /** Sequence number that would confirm a jump (RFC 3550 §A.1 `bad_seq`). */
  private probation: number | undefined;
  private readonly counters = { received: 0, duplicates: 0, late: 0, concealed: 0, overflow: 0, resyncs: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.depth = options.depth ?? 3;
    this.capacity = options.capacity ?? 50;
    this.maxDropout = options.maxDropout ?? 3000;
    this.maxMisorder = options.maxMisorder ?? 100;
    if (!(this.depth >= 1 && this.capacity >= this.depth)) {
      throw new MediaArgumentError(`jitter buffer depth ${this.depth} / capacity ${this.capacity}`);
    }
  }

  /** Accepts one arriving packet. */
  push(packet: JitterPacket): void {
    if (this.ssrc !== packet.ssrc) {
      if (this.ssrc !== undefined) this.counters.resyncs++;
      this.restart(packet);
    }
    let seq = this.unwrapper.unwrap(packet.sequenceNumber);
    const jump = seq - this.highestSeq;
    if (jump > this.maxDropout || jump < -this.maxMisorder) {
      // RFC 3550 §A.1: a big jump is a restart only if the following packet continues from it.
      if (this.probation !== packet.sequenceNumber) {
        this.probation = (packet.sequenceNumber + 1) & 0xffff;
        return;
      }
      this.counters.resyncs++;
      this.restart(packet);
      seq = this.unwrapper.unwrap(packet.sequenceNumber);
    }
    this.probation = undefined;

    if (this.packets.has(seq)) {
      this.counters.duplicates++;
      return;
    }
    // Once playout has begun, anything before the playout point was played or concealed already.
    if (this.state !== 'idle' && seq < this.playout) {
      this.counters.late++;
      return;
    }
    if (seq > this.highestSeq) this.highestSeq = seq;
    if (seq < this.baseSeq) this.baseSeq = seq;
    this.packets.set(seq, packet);
    this.receivedThisSource++;
    this.counters.received++;
    this.trimToCapacity();
    if (this.state !== 'playing' && this.packets.size >= this.depth) {
      this.state = 'playing';
      this.playout = this.lowestBuffered();
    }
  }

  /**
   * Takes the frame for the current tick: the next packet, a concealment frame for a gap or
   * underrun, or undefined while nothing has been received yet (no timeline to fill).
   */
  pop(): JitterFrame | undefined {
    if (this.state === 'idle') return undefined;
    if (this.state === 'buffering') {
      this.counters.concealed++;
      return { kind: 'concealed' };
    }
    const packet = this.packets.get(this.playout);
    if (packet) {
      this.packets.delete(this.playout);
      this.playout++;
      return { kind: 'packet', packet };
    }
    this.counters.concealed++;
    if (this.packets.size === 0) this.state = 'buffering';
    else this.playout++;
    return { kind: 'concealed' };
  }

  /** A snapshot of the counters. */
  get stats(): JitterBufferStats {
    return {
      ...this.counters,
      lost: this.lostBefore + this.lostThisSource(),
      buffered: this.packets.size,
    };
  }

  /** RFC 3550 §6.4.1 extended highest sequence number of the current source (cycles in the high 16 bits). */
  get extendedHighestSequence(): number {
    return this.highestSeq >>> 0;
  }

  /** Packets expected from the current source so far (RFC 3550 §A.3). */
  get expected(): number {
    return this.ssrc === undefined ? 0 : this.highestSeq - this.baseSeq + 1;
  }

  /** Packets received from the current source so far. */
  get receivedFromSource(): number {
    return this.receivedThisSource;
  }

  /** Drops everything and waits for a new stream. */
  reset(): void {
    this.packets.clear();
    this.state = 'idle';
    this.lostBefore += this.lostThisSource();
    this.ssrc = undefined;
    this.receivedThisSource = 0;
    this.unwrapper.reset();
    this.probation = undefined;
  }

  private restart(packet: JitterPacket): void {
    const wasPlaying = this.state !== 'idle';
    this.reset();
    this.ssrc = packet.ssrc;
    const seq = this.unwrapper.unwrap(packet.sequenceNumber);
    this.baseSeq = seq;
    this.highestSeq = seq - 1;
    this.playout = seq;
    // Keep the timeline filled with concealment while the new stream buffers up.
    this.state = wasPlaying ? 'buffering' : 'idle';
  }

  private lostThisSource(): number {
    return Math.max(0, this.expected - this.receivedThisSource);
  }

  private lowestBuffered(): number {
    let lowest = Infinity;
    for (const seq of this.packets.keys()) if (seq < lowest) lowest = seq;
    return lowest;
  }

  private trimToCapacity(): void {
    while (this.packets.size > this.capacity) {
      const oldest = this.lowestBuffered();
      this.packets.delete(oldest);
      this.counters.overflow++;
      if (this.state === 'playing' && this.playout <= oldest) this.playout = oldest + 1;
    }
  }
}
