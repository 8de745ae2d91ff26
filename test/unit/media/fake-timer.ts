import type { MediaClockTimer } from '../../../src/media/media-clock.js';

/** A hand-driven time source for MediaClock tests: time moves only through `advance`. */
export class FakeTimer implements MediaClockTimer {
  time = 1000;
  /** Added to every timer's firing time, to simulate a late event loop. */
  lateness = 0;
  private pending: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, delayMs: number): unknown {
    this.delays.push(delayMs);
    const id = ++this.ids;
    this.pending.push({ at: this.time + delayMs + this.lateness, callback, id });
    return id;
  }

  cancel(handle: unknown): void {
    this.pending = this.pending.filter((entry) => entry.id !== handle);
  }

  get scheduled(): number {
    return this.pending.length;
  }

  /** Moves time forward without firing anything, like a blocked event loop. */
  stall(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward, firing due timers in order (bounded). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.pending.sort((a, b) => a.at - b.at);
      const next = this.pending[0];
      if (!next || next.at > end) break;
      this.pending.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = end;
  }
}
