import { MediaArgumentError } from './errors.js';

/** Options of a {@link SilenceDetector}. */
export interface SilenceDetectorOptions {
  /** Frames at or below this level (dBFS, RMS of the frame) are silent. Default −45. */
  thresholdDbfs?: number;
  /** Sampling rate of the frames, to turn samples into ms. Default 8000. */
  sampleRate?: number;
}

/** Result of one frame. */
export interface SilenceReport {
  /** The frame is at or below the threshold. */
  silent: boolean;
  /** Frame level in dBFS (−Infinity for digital silence). */
  levelDbfs: number;
  /** Length of the silent run ending with this frame, in ms (0 after a loud frame). */
  silentRunMs: number;
}

/** Counters of a {@link SilenceDetector}. */
export interface SilenceDetectorStats {
  /** Frames processed. */
  frames: number;
  /** Frames judged silent. */
  silentFrames: number;
  /** Longest silent run seen, ms. */
  longestSilentRunMs: number;
}

const FULL_SCALE = 32768;

/** RMS level of 16-bit PCM samples in dBFS (0 dBFS = full-scale square wave). */
export function frameLevelDbfs(frame: Int16Array): number {
  if (frame.length === 0) return -Infinity;
  let sumOfSquares = 0;
  for (let i = 0; i < frame.length; i++) {
    const sample = frame[i] ?? 0;
    sumOfSquares += sample * sample;
  }
  const rms = Math.sqrt(sumOfSquares / frame.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / FULL_SCALE);
}

/**
 * Energy-based silence detection over 16-bit PCM frames: each frame's RMS level against a threshold,
 * and the length of the current silent run. The recorder uses the run for RecordingIdleTimeout and
 * to trim trailing silence.
 */
export class SilenceDetector {
  private readonly thresholdDbfs: number;
  private readonly sampleRate: number;
  private runSamples = 0;
  private readonly counters: SilenceDetectorStats = { frames: 0, silentFrames: 0, longestSilentRunMs: 0 };

  constructor(options: SilenceDetectorOptions = {}) {
    this.thresholdDbfs = options.thresholdDbfs ?? -45;
    this.sampleRate = options.sampleRate ?? 8000;
    if (!(this.sampleRate > 0) || !(this.thresholdDbfs <= 0)) {
      throw new MediaArgumentError(`silence threshold ${this.thresholdDbfs} dBFS / rate ${this.sampleRate}`);
    }
  }

  /** Judges one frame and extends or ends the silent run. */
  process(frame: Int16Array): SilenceReport {
    const levelDbfs = frameLevelDbfs(frame);
    const silent = levelDbfs <= this.thresholdDbfs;
    this.counters.frames++;
    if (silent) {
      this.counters.silentFrames++;
      this.runSamples += frame.length;
    } else {
      this.runSamples = 0;
    }
    const silentRunMs = this.silentRunMs;
    if (silentRunMs > this.counters.longestSilentRunMs) this.counters.longestSilentRunMs = silentRunMs;
    return { silent, levelDbfs, silentRunMs };
  }

  /** Length of the current silent run, ms. */
  get silentRunMs(): number {
    return (this.runSamples * 1000) / this.sampleRate;
  }

  /** A copy of the counters. */
  get stats(): SilenceDetectorStats {
    return { ...this.counters };
  }

  /** Ends the current run (e.g. when recording restarts). */
  reset(): void {
    this.runSamples = 0;
  }
}
