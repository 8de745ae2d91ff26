import type { TimerHandle, TimerScheduler } from '../../../../src/sip/timers/timer-scheduler.js';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

/** A TimerScheduler driven by hand: `advance(ms)` fires due timers in time order. */
export class ManualTimers implements TimerScheduler {
  now = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Number of timers not yet fired. */
  get size(): number {
    return this.pending.length;
  }

  /** Move the clock forward, firing every timer due on the way (bounded to 100,000 firings). */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.now = next.at;
      next.callback();
    }
    this.now = target;
  }
}
