import type { Logger } from 'pino';
import type { MediaEngine } from '../media/index.js';

/** Why a call session ended. */
export type HangupReason = 'remote' | 'local' | 'rtp-timeout' | 'max-call-duration' | 'error' | 'closed';

/** Events of a CallSession. */
export interface CallSessionEvents {
  /** A DTMF digit, from RFC 4733 RTP events or SIP INFO. */
  dtmf: [digit: string];
  /** The call ended (once). */
  hangup: [reason: HangupReason];
}

/** What a call session needs from the server to set up media. */
export interface CallMediaContext {
  /** Where calls' RTP sessions and players run (media threads, or this thread). */
  engine: MediaEngine;
  /** Address bound for RTP and written in SDP (Server.Rtp.Address). */
  address: string;
  /** Hang up when the peer sends no RTP for this long (ms). */
  inactivityTimeoutMs: number;
  logger: Logger;
}

/** Options of collectDigits. */
export interface CollectDigitsOptions {
  /** Stop after this many digits. */
  maxDigits: number;
  /** Digits that end collection (not included in the result), e.g. `#`. */
  terminators?: string;
  /** Give up when no first digit arrives in this time (ms). */
  firstDigitTimeoutMs: number;
  /** Give up when the next digit does not arrive in this time (ms). */
  interDigitTimeoutMs: number;
}

/** What collectDigits returns. */
export interface CollectedDigits {
  digits: string;
  /** Why collection ended. */
  end: 'max-digits' | 'terminator' | 'timeout';
  terminator?: string;
}
