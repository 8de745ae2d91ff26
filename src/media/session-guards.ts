// The state checks an RTP session makes before acting, shared by the session itself and by the handle
// on a session in a media thread (which must throw at once, in the caller's thread, as the session would).
import { MediaArgumentError, MediaStateError } from './errors.js';
import type { NegotiatedMedia } from './offer-answer.js';

/** Length of an RFC 4733 digit sent without one given, ms. */
export const DEFAULT_DIGIT_MS = 100;

/** Throws when the session is closed. */
export function assertSessionOpen(closed: boolean, action: string): void {
  if (closed) throw new MediaStateError(`RTP session closed: cannot ${action}`);
}

/** Throws unless the session is open and not started yet. */
export function assertStartable(closed: boolean, current: NegotiatedMedia | undefined): void {
  assertSessionOpen(closed, 'start');
  if (current) throw new MediaStateError('RTP session already started; use update()');
}

/** Throws unless the session is open and started; returns the media in use. */
export function startedMedia(closed: boolean, current: NegotiatedMedia | undefined): NegotiatedMedia {
  assertSessionOpen(closed, 'update');
  if (!current) throw new MediaStateError('RTP session not started');
  return current;
}

/** Throws unless an RFC 4733 digit of this duration can be sent. */
export function assertDigitSendable(closed: boolean, media: NegotiatedMedia | undefined, durationMs: number): void {
  assertSessionOpen(closed, 'sendDigit');
  if (!media?.telephoneEvent) throw new MediaStateError('telephone-event was not negotiated');
  if (!(durationMs >= 20 && durationMs <= 8000)) throw new MediaArgumentError(`DTMF duration ${durationMs} ms`);
}
