import { EventEmitter } from 'node:events';
import type { DtmfDigitEvent } from './dtmf-detector.js';
import type { MediaClockStats } from './media-clock.js';
import type { MediaChange, NegotiatedMedia } from './offer-answer.js';
import type { PlayItem, PlayOptions, PlayResult } from './player.js';
import type { ReceivedFrameInfo, RtpSessionStats } from './rtp-session-types.js';

/** Events of a {@link CallMedia}. */
export interface CallMediaEvents {
  /** A received 20 ms frame of 16-bit PCM; only while {@link CallMedia.receiveAudio} is on. Read-only. */
  audio: [frame: Int16Array, info: ReceivedFrameInfo];
  /** A DTMF digit from RFC 4733 events (one per key press). */
  dtmf: [digit: DtmfDigitEvent];
  /** The peer's RTP came from this address (symmetric RTP: we now send there). */
  latched: [remote: { address: string; port: number }];
  /** No RTP for the inactivity timeout; emitted once until RTP resumes. */
  timeout: [];
  /** The media could not go on (its media thread died); the call should end. */
  failed: [error: Error];
}

/**
 * One call's media as call applications see it: an RTP session and the player feeding it, wherever
 * they run — in this thread ({@link LocalCallMedia}) or in a media thread ({@link WorkerCallMedia}).
 * Received audio reaches this thread only while someone asked for it (a recording), so calls that only
 * listen to prompts cost the signalling thread nothing per packet.
 */
export abstract class CallMedia extends EventEmitter<CallMediaEvents> {
  /** Local RTP port (RTCP is `port + 1`). */
  abstract readonly port: number;
  /** The media in use, once started. */
  abstract readonly negotiated: NegotiatedMedia | undefined;
  /** A play is loading or playing. */
  abstract readonly playing: boolean;
  /** The latest counters (from a media thread: at most a second old while the call runs). */
  abstract readonly stats: RtpSessionStats;
  /** Resolves once the media is closed, with the final counters. */
  abstract readonly closed: Promise<RtpSessionStats>;
  /** Starts media with the outcome of offer/answer. */
  abstract start(media: NegotiatedMedia): void;
  /** Applies a re-offer's outcome (new address, codec, hold); returns what changed. */
  abstract update(media: NegotiatedMedia): MediaChange;
  /** Plays items back to back; rejects if a play is under way or an item cannot be loaded. */
  abstract play(items: readonly PlayItem[], options?: PlayOptions): Promise<PlayResult>;
  /** A digit arrived: with barge-in the current play ends at once, resolved with the digit; returns whether it did. */
  abstract interrupt(digit: DtmfDigitEvent['digit']): boolean;
  /** Ends the current play, if any, resolved as not completed. */
  abstract stopPlay(): void;
  /** Queues an RFC 4733 digit; while it plays, audio from the player is paused. */
  abstract sendDigit(digit: string, durationMs?: number): void;
  /** Turns `audio` events on or off. */
  abstract receiveAudio(on: boolean): void;
  /** Stops the player, closes the sockets and returns the ports. Synchronous and idempotent. */
  abstract close(): void;
}

/** What a call needs to open its media. */
export interface OpenCallMediaOptions {
  /** Address to bind (IPv4). */
  bindAddress: string;
  /** Emit `timeout` when no RTP arrives for this long, ms; 0 disables. */
  inactivityTimeoutMs: number;
}

/** Where calls get their media from: this thread, or a pool of media threads. */
export interface MediaEngine {
  /** Takes a port pair and opens a call's media on it. */
  open(options: OpenCallMediaOptions): Promise<CallMedia>;
  /** Pacing of the media clock(s), all threads together. */
  readonly clockStats: MediaClockStats;
  /** Media threads serving calls (0 when media runs in the calling thread). */
  readonly threads: number;
  /** Closes every clock and thread; open media must have been closed first. */
  close(): Promise<void>;
}
