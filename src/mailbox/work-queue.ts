/** Counters of a {@link WorkQueue}. */
export interface WorkQueueStats {
  /** Jobs running now. */
  running: number;
  /** Jobs waiting for a worker. */
  waiting: number;
  /** Jobs finished (resolved or rejected). */
  done: number;
}

/**
 * Runs async jobs at most `concurrency` at a time, in the order given — the encoding pool that keeps
 * ffmpeg (CPU) off the call path and bounded on a small machine.
 */
export class WorkQueue {
  private readonly concurrency: number;
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private done = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency ${concurrency}: need a whole number ≥ 1`);
    this.concurrency = concurrency;
  }

  /** A copy of the counters. */
  get stats(): WorkQueueStats {
    return { running: this.running, waiting: this.waiting.length, done: this.done };
  }

  /** Runs `job` when a worker is free; settles as it does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        job().then(resolve, reject).finally(() => {
          this.running--;
          this.done++;
          const next = this.waiting.shift();
          if (next) next();
          else if (this.running === 0) this.notifyIdle();
        });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
