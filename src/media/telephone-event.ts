import { MediaArgumentError, PacketParseError } from './errors.js';

/*
 * RFC 4733 §2.3 telephone-event payload:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

const EVENT_OFFSET = 0;
const FLAGS_OFFSET = 1;
const DURATION_OFFSET = 2;
const END_MASK = 0x80;
const VOLUME_MASK = 0x3f;

/** Size of one telephone-event payload block. */
export const TELEPHONE_EVENT_LENGTH = 4;

/** DTMF digits in RFC 4733 §3.2 event-code order (events 0–15). */
export const DTMF_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'] as const;

/** A DTMF digit as a character. */
export type DtmfDigit = (typeof DTMF_DIGITS)[number];

/** One RFC 4733 event block. */
export interface TelephoneEvent {
  /** Event code (0–15 are DTMF digits, §3.2). */
  event: number;
  /** E bit: this packet ends the event. */
  end: boolean;
  /** Tone power in −dBm0, 0–63. */
  volume: number;
  /** Duration so far, in timestamp units (8000 Hz for G.711 sessions). */
  duration: number;
}

/** Parses the first event block of a telephone-event payload (senders use one block per packet). */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_LENGTH) {
    throw new PacketParseError('telephone-event payload', payload.length, TELEPHONE_EVENT_LENGTH);
  }
  const flags = payload[FLAGS_OFFSET] ?? 0;
  return {
    event: payload[EVENT_OFFSET] ?? 0,
    end: (flags & END_MASK) !== 0,
    volume: flags & VOLUME_MASK,
    duration: ((payload[DURATION_OFFSET] ?? 0) << 8) | (payload[DURATION_OFFSET + 1] ?? 0),
  };
}

/** Serialises one event block (R bit zero, as §2.3 requires of senders). */
export function serializeTelephoneEvent(event: TelephoneEvent): Buffer {
  if (event.event < 0 || event.event > 255) throw new MediaArgumentError(`telephone-event code ${event.event}`);
  const buffer = Buffer.alloc(TELEPHONE_EVENT_LENGTH);
  buffer[EVENT_OFFSET] = event.event;
  buffer[FLAGS_OFFSET] = (event.end ? END_MASK : 0) | (event.volume & VOLUME_MASK);
  buffer.writeUInt16BE(Math.min(Math.max(event.duration, 0), 0xffff), DURATION_OFFSET);
  return buffer;
}

/** The digit for an event code, or undefined for non-DTMF events (flash, tones). */
export function eventToDigit(event: number): DtmfDigit | undefined {
  return DTMF_DIGITS[event];
}

/** The event code for a digit (accepts lower-case a–d). */
export function digitToEvent(digit: string): number {
  const index = DTMF_DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  if (index < 0) throw new MediaArgumentError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return index;
}
