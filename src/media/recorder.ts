import type { Logger } from 'pino';
import { MediaArgumentError, MediaStateError } from './errors.js';
import { G711_SAMPLE_RATE } from './g711.js';
import type { ReceivedFrameInfo } from './rtp-session-types.js';
import { SilenceDetector, type SilenceDetectorOptions } from './silence-detector.js';
import { DTMF_DIGITS, type DtmfDigit } from './telephone-event.js';

/** Where recorded audio goes as it arrives (a {@link RecordingFile} on disk; an array in tests). */
export interface RecordingSink {
  /** Appends samples; must not block (buffer and write asynchronously). */
  write(samples: Int16Array): void;
  /** Finishes the recording (for a file: commits it). */
  close(): Promise<void>;
}

/** Why a recording ended (spec §3.2 step 3). */
export type RecordingEndReason = 'terminator' | 'silence' | 'max-duration' | 'hangup' | 'stopped';

/** What a recording came to; the caller applies the 1 s rule and trims (spec §3.2 step 4). */
export interface RecordingResult {
  /** Why it ended. */
  reason: RecordingEndReason;
  /** Audio written to the sink, ms. */
  durationMs: number;
  /** Of which non-silent (not silent by the detector and not loss concealment), ms. */
  voicedMs: number;
  /** The silent run at the end, ms — for reason `silence` at least the idle timeout. */
  trailingSilenceMs: number;
  /** Samples written to the sink. */
  samples: number;
  /** Samples of the trailing silent run: trim the sink to `samples − trailingSilenceSamples`. */
  trailingSilenceSamples: number;
}

/** Options of a {@link Recorder}. */
export interface RecorderOptions {
  /** Receives every recorded sample. The recorder never closes it: the owner commits or discards. */
  sink: RecordingSink;
  /** Digits that end the recording. Default `#`. */
  terminators?: readonly DtmfDigit[];
  /** End after this much unbroken silence, ms (RecordingIdleTimeout, default 5 s); 0 disables. */
  idleTimeoutMs?: number;
  /** End after this much audio, ms (MaxRecordingDuration, default 20 min). */
  maxDurationMs?: number;
  /** How silence is judged. */
  silence?: SilenceDetectorOptions;
  /** Sampling rate of the frames. Default 8000. */
  sampleRate?: number;
  /** Receives state changes at debug level. */
  logger?: Logger;
}

/** Counters of a {@link Recorder}. */
export interface RecorderStats {
  /** Frames recorded. */
  frames: number;
  /** Of which loss concealment. */
  concealedFrames: number;
  /** Frames given before `start()` or after the end, not recorded. */
  ignoredFrames: number;
  /** Digits received while recording that were not terminators. */
  otherDigits: number;
}

/** Where a {@link Recorder} is. */
export const RecorderState = {
  /** Created; frames are ignored until `start()` (the greeting and tone are still playing). */
  Idle: 'idle',
  /** Frames go to the sink. */
  Recording: 'recording',
  /** Ended; the result is known. */
  Ended: 'ended',
} as const;
/** A {@link RecorderState} value. */
export type RecorderState = (typeof RecorderState)[keyof typeof RecorderState];

const TRANSITIONS: Readonly<Record<RecorderState, readonly RecorderState[]>> = {
  idle: ['recording', 'ended'],
  recording: ['ended'],
  ended: [],
};

/**
 * Records a voicemail: received frames stream to a sink while the recorder decides when the message
 * ends — a terminator digit, RecordingIdleTimeout of silence, MaxRecordingDuration, hang-up or an
 * explicit stop. Frame-driven and synchronous: time is the audio received (a 20 ms frame is 20 ms),
 * so there are no timers; a caller whose RTP stops still gets concealment frames from the session
 * and thus ends on silence.
 */
export class Recorder {
  private readonly sink: RecordingSink;
  private readonly terminators: ReadonlySet<string>;
  private readonly idleSamples: number;
  private readonly maxSamples: number;
  private readonly sampleRate: number;
  private readonly detector: SilenceDetector;
  private readonly logger: Logger | undefined;
  private currentState: RecorderState = RecorderState.Idle;
  private totalSamples = 0;
  private voicedSamples = 0;
  private silentRunSamples = 0;
  private endResult: RecordingResult | undefined;
  private resolveEnded!: (result: RecordingResult) => void;
  private readonly counters: RecorderStats = { frames: 0, concealedFrames: 0, ignoredFrames: 0, otherDigits: 0 };
  /** Resolves with the result when the recording ends, however it ends. */
  readonly ended: Promise<RecordingResult>;

  constructor(options: RecorderOptions) {
    this.sink = options.sink;
    this.sampleRate = options.sampleRate ?? G711_SAMPLE_RATE;
    const idleTimeoutMs = options.idleTimeoutMs ?? 5000;
    const maxDurationMs = options.maxDurationMs ?? 20 * 60 * 1000;
    if (!(this.sampleRate > 0) || !(idleTimeoutMs >= 0) || !(maxDurationMs > 0)) {
      throw new MediaArgumentError(`recorder idle timeout ${idleTimeoutMs} ms / max duration ${maxDurationMs} ms / rate ${this.sampleRate}`);
    }
    const terminators = options.terminators ?? ['#'];
    for (const digit of terminators) {
      if (!(DTMF_DIGITS as readonly string[]).includes(digit)) throw new MediaArgumentError(`terminator ${JSON.stringify(digit)} is not a DTMF digit`);
    }
    this.terminators = new Set(terminators);
    this.idleSamples = Math.round((idleTimeoutMs * this.sampleRate) / 1000);
    this.maxSamples = Math.round((maxDurationMs * this.sampleRate) / 1000);
    this.detector = new SilenceDetector({ ...options.silence, sampleRate: this.sampleRate });
    this.logger = options.logger;
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  /** Where the recorder is. */
  get state(): RecorderState {
    return this.currentState;
  }

  /** The result once ended. */
  get result(): RecordingResult | undefined {
    return this.endResult;
  }

  /** A copy of the counters. */
  get stats(): RecorderStats {
    return { ...this.counters };
  }

  /** Audio recorded so far, ms. */
  get durationMs(): number {
    return this.toMs(this.totalSamples);
  }

  /** Starts recording (after the tone); throws {@link MediaStateError} unless idle. */
  start(): void {
    this.transition(RecorderState.Recording);
  }

  /**
   * Records one received frame; returns the result if this frame ended the recording. Frames before
   * `start()` or after the end are ignored (the session keeps delivering them until detached).
   */
  process(frame: Int16Array, info: ReceivedFrameInfo = { concealed: false }): RecordingResult | undefined {
    if (this.currentState !== RecorderState.Recording) {
      this.counters.ignoredFrames++;
      return undefined;
    }
    // MaxRecordingDuration is exact: the frame that crosses it is cut.
    const room = this.maxSamples - this.totalSamples;
    const kept = frame.length > room ? frame.subarray(0, room) : frame;
    this.counters.frames++;
    if (info.concealed) this.counters.concealedFrames++;
    // Concealment is silence whatever it sounds like: nothing of the caller's was received.
    const silent = this.detector.process(kept).silent || info.concealed;
    this.sink.write(kept);
    this.totalSamples += kept.length;
    if (silent) {
      this.silentRunSamples += kept.length;
    } else {
      this.silentRunSamples = 0;
      this.voicedSamples += kept.length;
    }
    if (this.idleSamples > 0 && this.silentRunSamples >= this.idleSamples) return this.end('silence');
    if (this.totalSamples >= this.maxSamples) return this.end('max-duration');
    return undefined;
  }

  /** A DTMF digit; returns the result if it was a terminator that ended the recording. */
  digit(digit: DtmfDigit): RecordingResult | undefined {
    if (this.currentState !== RecorderState.Recording) return undefined;
    if (!this.terminators.has(digit)) {
      this.counters.otherDigits++;
      return undefined;
    }
    return this.end('terminator');
  }

  /** Ends the recording (hang-up, call torn down); returns the result, the earlier one if already ended. */
  stop(reason: 'hangup' | 'stopped' = 'stopped'): RecordingResult {
    return this.endResult ?? this.end(reason);
  }

  private end(reason: RecordingEndReason): RecordingResult {
    this.transition(RecorderState.Ended);
    const result: RecordingResult = {
      reason,
      durationMs: this.toMs(this.totalSamples),
      voicedMs: this.toMs(this.voicedSamples),
      trailingSilenceMs: this.toMs(this.silentRunSamples),
      samples: this.totalSamples,
      trailingSilenceSamples: this.silentRunSamples,
    };
    this.endResult = result;
    this.logger?.debug(result, 'recording ended');
    this.resolveEnded(result);
    return result;
  }

  private toMs(samples: number): number {
    return (samples * 1000) / this.sampleRate;
  }

  private transition(to: RecorderState): void {
    const from = this.currentState;
    if (!TRANSITIONS[from].includes(to)) throw new MediaStateError(`recorder cannot go from ${from} to ${to}`);
    this.currentState = to;
    this.logger?.debug({ from, to }, 'recorder state');
  }
}
