import { MediaArgumentError } from './errors.js';
import { G711_SAMPLE_RATE } from './g711.js';

/** Options of {@link toneSamples}. */
export interface ToneOptions {
  /** Frequency in Hz, below half the sampling rate. Default 1000. */
  frequencyHz?: number;
  /** Duration in ms. Default 250. */
  durationMs?: number;
  /** RMS level in dBFS, as {@link frameLevelDbfs} measures it (a sine's peak is 3 dB above). Default −12. */
  levelDbfs?: number;
  /** Linear fade in and out, ms, so the tone starts and stops without a click. Default 5. */
  rampMs?: number;
  /** Sampling rate. Default 8000. */
  sampleRate?: number;
}

/** The tone played before recording: 1000 Hz for 250 ms at −12 dBFS. */
export const BEEP: Readonly<Required<Omit<ToneOptions, 'sampleRate'>>> = Object.freeze({
  frequencyHz: 1000,
  durationMs: 250,
  levelDbfs: -12,
  rampMs: 5,
});

const FULL_SCALE = 32768;

/** A sine tone as 16-bit PCM (a beep with the defaults). */
export function toneSamples(options: ToneOptions = {}): Int16Array {
  const frequencyHz = options.frequencyHz ?? BEEP.frequencyHz;
  const levelDbfs = options.levelDbfs ?? BEEP.levelDbfs;
  const rampMs = options.rampMs ?? BEEP.rampMs;
  const sampleRate = options.sampleRate ?? G711_SAMPLE_RATE;
  const count = sampleCount(options.durationMs ?? BEEP.durationMs, sampleRate);
  if (!(frequencyHz > 0 && frequencyHz < sampleRate / 2)) throw new MediaArgumentError(`tone frequency ${frequencyHz} Hz at ${sampleRate} Hz`);
  if (!(levelDbfs <= 0)) throw new MediaArgumentError(`tone level ${levelDbfs} dBFS`);
  if (!(rampMs >= 0)) throw new MediaArgumentError(`tone ramp ${rampMs} ms`);
  // RMS of a sine is peak/√2, so the peak for an RMS level L is 10^(L/20)·√2 of full scale; levels
  // above −3 dBFS clip to full scale.
  const peak = Math.min(FULL_SCALE - 1, FULL_SCALE * 10 ** (levelDbfs / 20) * Math.SQRT2);
  const rampSamples = Math.min(Math.floor(count / 2), Math.round((rampMs * sampleRate) / 1000));
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    const fromEdge = Math.min(i, count - 1 - i);
    const gain = fromEdge < rampSamples ? fromEdge / rampSamples : 1;
    samples[i] = Math.round(peak * gain * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
  }
  return samples;
}

/** Digital silence (zero samples) lasting `durationMs`. */
export function silenceSamples(durationMs: number, sampleRate: number = G711_SAMPLE_RATE): Int16Array {
  return new Int16Array(sampleCount(durationMs, sampleRate));
}

function sampleCount(durationMs: number, sampleRate: number): number {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw new MediaArgumentError(`duration ${durationMs} ms`);
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new MediaArgumentError(`sampling rate ${sampleRate} Hz`);
  return Math.round((durationMs * sampleRate) / 1000);
}
