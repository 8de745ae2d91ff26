import { performance } from 'node:perf_hooks';
import { MediaArgumentError, MediaStateError } from './errors.js';

/** The time source and timer a {@link MediaClock} runs on; inject a fake one in tests. */
export interface MediaClockTimer {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `callback` after `delayMs`; returns a handle for `cancel`. */
  schedule(callback: () => void, delayMs: number): unknown;
  /** Cancels a scheduled callback. */
  cancel(handle: unknown): void;
}

/** One tick of the clock, as given to subscribers. */
export interface MediaTick {
  /** Tick number since the clock (re)started, 0-based; consecutive unless ticks were skipped. */
  index: number;
  /** When the tick should have happened (ms on the clock's time source). */
  ideal: number;
  /** When it ran. */
  actual: number;
}

/** A tick callback. */
export type MediaTickListener = (tick: MediaTick) => void;

/** Options of a {@link MediaClock}. */
export interface MediaClockOptions {
  /** Tick period in ms. Default 20. */
  periodMs?: number;
  /** Time source and timer. Default `performance.now()` and `setTimeout`. */
  timer?: MediaClockTimer;
  /** Most overdue ticks run back to back after a stall; beyond that they are skipped. Default 5. */
  maxCatchUp?: number;
  /** Pacing-error samples kept for percentiles. Default 3000 (one minute at 20 ms). */
  sampleWindow?: number;
  /** Receives exceptions thrown by subscribers (the clock keeps running). */
  onSubscriberError?: (error: unknown) => void;
  /**
   * Ticks fall at `offsetMs` past each period of a timeline that starts at `originMs` on the time
   * source (`performance.timeOrigin` makes threads' timelines one). Media threads take offsets a
   * fraction of a period apart, so their ticks do not ask for the CPUs at the same moment.
   */
  phase?: { originMs: number; offsetMs: number };
}

/** Pacing figures of a {@link MediaClock}. */
export interface MediaClockStats {
  /** Ticks delivered. */
  ticks: number;
  /** Ticks skipped after stalls longer than `maxCatchUp` periods. */
  skipped: number;
  /** Current subscribers. */
  subscribers: number;
  /** Subscriber exceptions caught. */
  subscriberErrors: number;
  /** Pacing error (actual − ideal, ms) of each tick's start, over the sample window. */
  pacingErrorMs: Percentiles;
  /**
   * How late each tick's work was done (its last subscriber returned − ideal, ms): every packet of the
   * tick left between its start and this, so this bounds the lateness of any one packet.
   */
  tickDoneErrorMs: Percentiles;
}

/** p50, p99 and max of a window of samples, ms. */
export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

/** A window of the latest samples (ms) and the largest ever seen. */
class SampleWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private cursor = 0;
  max = 0;

  constructor(size: number) {
    this.samples = new Float64Array(size);
  }

  add(value: number): void {
    this.samples[this.cursor] = value;
    this.cursor = (this.cursor + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
    if (value > this.max) this.max = value;
  }

  /** The samples held, unordered. */
  get values(): Float64Array {
    return this.samples.slice(0, this.count);
  }

  get percentiles(): Percentiles {
    return percentiles(this.values, this.max);
  }
}

/** The default timer: `performance.now()` and an unref'd `setTimeout`. */
export const systemMediaClockTimer: MediaClockTimer = {
  now: () => performance.now(),
  // Unref'd: the sockets of live sessions keep the process up, the clock alone should not.
  schedule: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One 20 ms tick shared by every outgoing stream (a timer per call costs more and drifts, see
 * spec/sip-stack.md). Tick n is due at start + n·period on an absolute timeline, so lateness of one
 * timer never accumulates. The clock runs only while someone is subscribed.
 */
export class MediaClock {
  private readonly periodMs: number;
  private readonly timer: MediaClockTimer;
  private readonly maxCatchUp: number;
  private readonly onSubscriberError: ((error: unknown) => void) | undefined;
  private readonly phase: { originMs: number; offsetMs: number } | undefined;
  private readonly listeners = new Set<MediaTickListener>();
  private readonly started: SampleWindow;
  private readonly done: SampleWindow;
  private ticks = 0;
  private skipped = 0;
  private subscriberErrors = 0;
  private startedAt = 0;
  private nextIndex = 0;
  private handle: unknown;
  private running = false;
  /** Bumped on every start so a tick loop notices a stop/start by a subscriber mid-tick. */
  private generation = 0;
  private closed = false;

  constructor(options: MediaClockOptions = {}) {
    this.periodMs = options.periodMs ?? 20;
    this.timer = options.timer ?? systemMediaClockTimer;
    this.maxCatchUp = options.maxCatchUp ?? 5;
    this.onSubscriberError = options.onSubscriberError;
    this.phase = options.phase;
    const window = options.sampleWindow ?? 3000;
    if (!(this.periodMs > 0) || !(window > 0) || !(this.maxCatchUp >= 1)) {
      throw new MediaArgumentError(`media clock period ${this.periodMs} / window ${window} / catch-up ${this.maxCatchUp}`);
    }
    this.started = new SampleWindow(window);
    this.done = new SampleWindow(window);
  }

  /** Tick period in ms. */
  get period(): number {
    return this.periodMs;
  }

  /** Current time on the clock's time source. */
  now(): number {
    return this.timer.now();
  }

  /** Registers a tick callback; returns the function that unregisters it. */
  subscribe(listener: MediaTickListener): () => void {
    if (this.closed) throw new MediaStateError('media clock is closed');
    this.listeners.add(listener);
    if (!this.running) this.start();
    return () => this.unsubscribe(listener);
  }

  /** Pacing figures; percentiles are computed on demand. */
  get stats(): MediaClockStats {
    return {
      ticks: this.ticks,
      skipped: this.skipped,
      subscribers: this.listeners.size,
      subscriberErrors: this.subscriberErrors,
      pacingErrorMs: this.started.percentiles,
      tickDoneErrorMs: this.done.percentiles,
    };
  }

  /** Counters and raw samples, without sorting: cheap enough to send from a media thread every second. */
  get report(): ClockReport {
    return {
      ticks: this.ticks,
      skipped: this.skipped,
      subscribers: this.listeners.size,
      subscriberErrors: this.subscriberErrors,
      started: { max: this.started.max, samples: this.started.values },
      done: { max: this.done.max, samples: this.done.values },
    };
  }

  /** Stops the clock and drops every subscriber. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.stop();
  }

  private unsubscribe(listener: MediaTickListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  private start(): void {
    this.running = true;
    this.generation++;
    const now = this.timer.now();
    const phase = this.phase;
    // Tick 1 is due a period after startedAt: on the shared timeline, the first slot after now.
    this.startedAt = phase === undefined ? now : now - mod(phase.originMs + now - phase.offsetMs, this.periodMs);
    this.nextIndex = 1;
    this.scheduleNext();
  }

  private stop(): void {
    if (!this.running) return;
    this.running = false;
    this.timer.cancel(this.handle);
    this.handle = undefined;
  }

  private scheduleNext(): void {
    const due = this.startedAt + this.nextIndex * this.periodMs;
    this.handle = this.timer.schedule(() => this.onTimer(), Math.max(0, due - this.timer.now()));
  }

  private onTimer(): void {
    if (!this.running) return;
    const generation = this.generation;
    const now = this.timer.now();
    const dueCount = Math.floor((now - this.startedAt) / this.periodMs) - this.nextIndex + 1;
    // A timer may fire a hair early; nothing is due yet then.
    const overdue = Math.max(0, dueCount - this.maxCatchUp);
    if (overdue > 0) {
      this.skipped += overdue;
      this.nextIndex += overdue;
    }
    for (let i = 0; i < Math.min(dueCount, this.maxCatchUp) && this.generation === generation && this.running; i++) {
      const tick: MediaTick = { index: this.nextIndex, ideal: this.startedAt + this.nextIndex * this.periodMs, actual: this.timer.now() };
      this.nextIndex++;
      this.started.add(tick.actual - tick.ideal);
      this.ticks++;
      for (const listener of [...this.listeners]) {
        try {
          listener(tick);
        } catch (error) {
          this.subscriberErrors++;
          this.onSubscriberError?.(error);
        }
      }
      this.done.add(this.timer.now() - tick.ideal);
    }
    if (this.running && this.generation === generation) this.scheduleNext();
  }
}

/** One clock's counters and samples (unordered), as {@link combineClockStats} takes them. */
export interface ClockReport {
  ticks: number;
  skipped: number;
  subscribers: number;
  subscriberErrors: number;
  started: { max: number; samples: Float64Array };
  done: { max: number; samples: Float64Array };
}

/** The figures of several clocks (media threads) as one: counts added, percentiles over all samples. */
export function combineClockStats(reports: readonly ClockReport[]): MediaClockStats {
  const total = { ticks: 0, skipped: 0, subscribers: 0, subscriberErrors: 0 };
  for (const report of reports) {
    total.ticks += report.ticks;
    total.skipped += report.skipped;
    total.subscribers += report.subscribers;
    total.subscriberErrors += report.subscriberErrors;
  }
  const merged = (part: 'started' | 'done'): Percentiles => {
    const all: number[] = [];
    for (const report of reports) for (const sample of report[part].samples) all.push(sample);
    return percentiles(all, Math.max(0, ...reports.map((report) => report[part].max)));
  };
  return { ...total, pacingErrorMs: merged('started'), tickDoneErrorMs: merged('done') };
}

function percentiles(values: ArrayLike<number>, max: number): Percentiles {
  const sorted = Array.from(values).sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max };
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** Nearest-rank percentile of an ascending array (0 when empty). */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
