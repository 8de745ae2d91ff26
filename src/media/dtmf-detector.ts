import { parseTelephoneEvent, eventToDigit, type DtmfDigit } from './telephone-event.js';
import { timestampDelta } from './unwrapper.js';

/** What the detector needs from an RTP packet carrying telephone-event. */
export interface DtmfInputPacket {
  /** Synchronisation source; a new source is a new stream of events. */
  ssrc: number;
  /** RTP timestamp: the event's start, shared by all its packets (RFC 4733 §2.5.1.2). */
  timestamp: number;
  /** The telephone-event payload. */
  payload: Uint8Array;
}

/** One key press. */
export interface DtmfDigitEvent {
  /** The digit pressed. */
  digit: DtmfDigit;
  /** RTP timestamp of the event's start. */
  timestamp: number;
  /** Duration (timestamp units) known when the digit was reported; complete only if `ended`. */
  duration: number;
  /** Whether the report came from an end packet (true when the start packets were lost). */
  ended: boolean;
  /** Tone power in −dBm0. */
  volume: number;
}

/** Counters of a {@link DtmfDetector}. */
export interface DtmfDetectorStats {
  /** Event packets processed. */
  packets: number;
  /** Digits reported. */
  digits: number;
  /** Packets of an event already reported (continuations, the 3 end copies). */
  duplicates: number;
  /** Packets that could not be parsed. */
  invalid: number;
  /** Events that are not DTMF digits (flash, tones), ignored. */
  nonDigit: number;
}

/** Longest duration one segment can carry; a longer press continues in a new segment (§2.5.1.3). */
const MAX_SEGMENT_DURATION = 0xffff;
/** How close to the cap a duration must be for a new timestamp to read as the next segment. */
const SEGMENT_SLACK = 1600;

interface CurrentEvent {
  ssrc: number;
  timestamp: number;
  event: number;
  duration: number;
  ended: boolean;
}

/**
 * Turns RFC 4733 telephone-event packets into one digit per key press. Every packet of an event
 * shares its start timestamp, so a new timestamp is a new press; the end packet is sent three times
 * (§2.5.1.4) and continuation/end packets after the first sighting are duplicates. The digit is
 * reported on the first packet seen for an event — which is the end packet when the start was lost.
 */
export class DtmfDetector {
  private current: CurrentEvent | undefined;
  private readonly counters: DtmfDetectorStats = { packets: 0, digits: 0, duplicates: 0, invalid: 0, nonDigit: 0 };

  /** Processes one packet; returns the digits it reveals (zero or one). */
  process(packet: DtmfInputPacket): DtmfDigitEvent[] {
    this.counters.packets++;
    if (packet.payload.length < 4) {
      this.counters.invalid++;
      return [];
    }
    const event = parseTelephoneEvent(packet.payload);
    const current = this.current;
    if (current && current.ssrc === packet.ssrc && current.timestamp === packet.timestamp) {
      current.duration = Math.max(current.duration, event.duration);
      current.ended ||= event.end;
      this.counters.duplicates++;
      return [];
    }
    if (current && current.ssrc === packet.ssrc && this.isNextSegment(current, packet.timestamp, event.event)) {
      current.timestamp = packet.timestamp;
      current.duration = event.duration;
      current.ended = event.end;
      this.counters.duplicates++;
      return [];
    }
    if (current && current.ssrc === packet.ssrc && timestampDelta(current.timestamp, packet.timestamp) < 0) {
      // A straggler from an earlier press, reordered behind a newer one: already reported or lost.
      this.counters.duplicates++;
      return [];
    }
    this.current = {
      ssrc: packet.ssrc,
      timestamp: packet.timestamp,
      event: event.event,
      duration: event.duration,
      ended: event.end,
    };
    const digit = eventToDigit(event.event);
    if (digit === undefined) {
      this.counters.nonDigit++;
      return [];
    }
    this.counters.digits++;
    return [{ digit, timestamp: packet.timestamp, duration: event.duration, ended: event.end, volume: event.volume }];
  }

  /** A copy of the counters. */
  get stats(): DtmfDetectorStats {
    return { ...this.counters };
  }

  /** Forgets the current event (e.g. when the session's remote changes). */
  reset(): void {
    this.current = undefined;
  }

  private isNextSegment(current: CurrentEvent, timestamp: number, event: number): boolean {
    return (
      !current.ended &&
      current.event === event &&
      current.duration >= MAX_SEGMENT_DURATION - SEGMENT_SLACK &&
      timestampDelta(current.timestamp, timestamp) >= current.duration &&
      timestampDelta(current.timestamp, timestamp) <= MAX_SEGMENT_DURATION + SEGMENT_SLACK
    );
  }
}
