import type { Logger } from 'pino';
import { MediaStateError } from './errors.js';
import { SAMPLES_PER_FRAME } from './g711.js';
import type { AudioSource } from './rtp-session-types.js';
import type { DtmfDigit } from './telephone-event.js';
import { silenceSamples, toneSamples, type ToneOptions } from './tone.js';
import { WavCache } from './wav-cache.js';

/** One thing to play; a play is a list of them, heard back to back with no gap. */
export type PlayItem =
  | { kind: 'pcm'; samples: Int16Array }
  | { kind: 'file'; path: string }
  | ({ kind: 'tone' } & ToneOptions)
  | { kind: 'silence'; durationMs: number };

/** Options of {@link Player.play}. */
export interface PlayOptions {
  /** A digit (given to {@link Player.interrupt}) ends the play at once. Default false. */
  bargeIn?: boolean;
}

/** How a play ended. */
export interface PlayResult {
  /** Every item was played to the end. */
  completed: boolean;
  /** The digit that barged in, when one did. */
  interruptedBy?: DtmfDigit;
}

/** Options of a {@link Player}. */
export interface PlayerOptions {
  /** Where `file` items are read from. Default a private cache; share one across calls. */
  cache?: WavCache;
  /** Receives state changes at debug level. */
  logger?: Logger;
}

/** Counters of a {@link Player}. */
export interface PlayerStats {
  /** Frames handed out by `readFrame`. */
  framesPlayed: number;
  /** Zero samples added to fill the last frame of plays. */
  paddedSamples: number;
  /** Plays started. */
  plays: number;
  /** Plays that ran to the end. */
  completed: number;
  /** Plays ended by a barge-in digit. */
  interrupted: number;
  /** Plays ended by `stop()` or `close()`. */
  stopped: number;
  /** Plays whose items could not be loaded. */
  failed: number;
}

/** Where a {@link Player} is. */
export const PlayerState = {
  /** Nothing to play: `readFrame` returns undefined. */
  Idle: 'idle',
  /** Reading files of the current play; `readFrame` returns undefined meanwhile. */
  Loading: 'loading',
  /** Handing out frames of the current play. */
  Playing: 'playing',
  /** Closed for good. */
  Closed: 'closed',
} as const;
/** A {@link PlayerState} value. */
export type PlayerState = (typeof PlayerState)[keyof typeof PlayerState];

const TRANSITIONS: Readonly<Record<PlayerState, readonly PlayerState[]>> = {
  idle: ['loading', 'playing', 'closed'],
  loading: ['playing', 'idle', 'closed'],
  playing: ['idle', 'closed'],
  closed: [],
};

interface PlayRequest {
  bargeIn: boolean;
  segments: Int16Array[];
  segmentIndex: number;
  offset: number;
  resolve: (result: PlayResult) => void;
  reject: (error: unknown) => void;
}

/** Tones already made, by their parameters: every call beeps, and synthesis costs more than a lookup. */
const TONES = new Map<string, Int16Array>();
const MAX_TONES = 32;

function cachedTone(options: ToneOptions): Int16Array {
  const key = `${options.frequencyHz}/${options.durationMs}/${options.levelDbfs}/${options.rampMs}/${options.sampleRate}`;
  let samples = TONES.get(key);
  if (samples === undefined) {
    samples = toneSamples(options);
    if (TONES.size >= MAX_TONES) TONES.clear();
    TONES.set(key, samples);
  }
  return samples;
}

/** The samples of one play item: at once, or once its file is read (through `cache`). */
export function playItemSamples(item: PlayItem, cache: WavCache): Int16Array | Promise<Int16Array> {
  switch (item.kind) {
    case 'pcm':
      return item.samples;
    case 'file':
      return cache.get(item.path);
    case 'tone':
      return cachedTone(item);
    case 'silence':
      return silenceSamples(item.durationMs);
  }
}

/**
 * The outgoing audio of a call: an {@link AudioSource} that plays one list of items at a time, a
 * 160-sample frame per `readFrame()` (the RTP session asks once per 20 ms tick; tests call it in a
 * loop). Items run together without gaps; only the play's last frame is padded with silence.
 */
export class Player implements AudioSource {
  private readonly cache: WavCache;
  private readonly logger: Logger | undefined;
  private currentState: PlayerState = PlayerState.Idle;
  private current: PlayRequest | undefined;
  private readonly counters: PlayerStats = { framesPlayed: 0, paddedSamples: 0, plays: 0, completed: 0, interrupted: 0, stopped: 0, failed: 0 };

  constructor(options: PlayerOptions = {}) {
    this.cache = options.cache ?? new WavCache();
    this.logger = options.logger;
  }

  /** Where the player is. */
  get state(): PlayerState {
    return this.currentState;
  }

  /** A copy of the counters. */
  get stats(): PlayerStats {
    return { ...this.counters };
  }

  /**
   * Plays `items` and resolves when they end, are stopped or barged in on; rejects with
   * {@link MediaStateError} if a play is already under way (stop it first) or the player is closed,
   * and with the loading error if a file cannot be read. Plays without `file` items start at once.
   */
  play(items: readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
    if (this.currentState !== PlayerState.Idle) {
      return Promise.reject(new MediaStateError(`player is ${this.currentState}: cannot start a play`));
    }
    let request!: PlayRequest;
    const promise = new Promise<PlayResult>((resolve, reject) => {
      request = { bargeIn: options.bargeIn ?? false, segments: [], segmentIndex: 0, offset: 0, resolve, reject };
    });
    let pending: (Int16Array | Promise<Int16Array>)[];
    try {
      pending = items.map((item) => playItemSamples(item, this.cache));
    } catch (error) {
      return Promise.reject(error);
    }
    this.counters.plays++;
    this.current = request;
    if (pending.every((part): part is Int16Array => part instanceof Int16Array)) {
      this.start(request, pending);
    } else {
      this.transition(PlayerState.Loading);
      Promise.all(pending).then(
        (segments) => {
          // stop(), a barge-in or close() may have ended this play while its files were read.
          if (this.current === request) this.start(request, segments);
        },
        (error: unknown) => {
          if (this.current !== request) return;
          this.current = undefined;
          this.counters.failed++;
          this.transition(PlayerState.Idle);
          request.reject(error);
        },
      );
    }
    return promise;
  }

  /** The next frame of the current play, or undefined when nothing is playing. */
  readFrame(): Int16Array | undefined {
    const request = this.current;
    if (this.currentState !== PlayerState.Playing || request === undefined) return undefined;
    const frame = new Int16Array(SAMPLES_PER_FRAME);
    let filled = 0;
    while (filled < SAMPLES_PER_FRAME && request.segmentIndex < request.segments.length) {
      const segment = request.segments[request.segmentIndex] ?? new Int16Array(0);
      const take = Math.min(SAMPLES_PER_FRAME - filled, segment.length - request.offset);
      frame.set(segment.subarray(request.offset, request.offset + take), filled);
      filled += take;
      request.offset += take;
      if (request.offset >= segment.length) {
        request.segmentIndex++;
        request.offset = 0;
      }
    }
    this.counters.framesPlayed++;
    this.counters.paddedSamples += SAMPLES_PER_FRAME - filled;
    if (request.segmentIndex >= request.segments.length) this.finish({ completed: true }, 'completed');
    return frame;
  }

  /**
   * A digit arrived (the owner forwards DTMF here). With barge-in the current play ends at once and
   * resolves with the digit; returns whether it did.
   */
  interrupt(digit: DtmfDigit): boolean {
    if (this.current === undefined || !this.current.bargeIn) return false;
    this.finish({ completed: false, interruptedBy: digit }, 'interrupted');
    return true;
  }

  /** Ends the current play, if any, resolving it as not completed. */
  stop(): void {
    if (this.current !== undefined) this.finish({ completed: false }, 'stopped');
  }

  /** Stops the current play and refuses further ones. Idempotent. */
  close(): void {
    if (this.currentState === PlayerState.Closed) return;
    this.stop();
    this.transition(PlayerState.Closed);
  }

  private start(request: PlayRequest, segments: Int16Array[]): void {
    request.segments = segments;
    this.transition(PlayerState.Playing);
    // Nothing to hear (no items, or only empty ones): done without sending a frame.
    if (segments.every((segment) => segment.length === 0)) this.finish({ completed: true }, 'completed');
  }

  private finish(result: PlayResult, outcome: 'completed' | 'interrupted' | 'stopped'): void {
    const request = this.current;
    if (request === undefined) return;
    this.current = undefined;
    this.counters[outcome]++;
    this.transition(PlayerState.Idle);
    request.resolve(result);
  }

  private transition(to: PlayerState): void {
    const from = this.currentState;
    if (from === to) return;
    if (!TRANSITIONS[from].includes(to)) throw new MediaStateError(`player cannot go from ${from} to ${to}`);
    this.currentState = to;
    this.logger?.debug({ from, to }, 'player state');
  }
}
