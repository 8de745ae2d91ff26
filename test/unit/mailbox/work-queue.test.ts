import { WorkQueue } from '../../../src/mailbox/work-queue.js';

describe('WorkQueue (the encoding pool)', () => {
  test('never runs more than `concurrency` jobs at once, and runs them in order', async () => {
    const queue = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const jobs = Array.from({ length: 5 }, (_, n) =>
      queue.run(async () => {
        started.push(n);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return n * 10;
      }),
    );
    for (let guard = 0; guard < 100 && started.length < 5; guard++) {
      await new Promise((r) => setImmediate(r));
      expect(queue.stats.running).toBeLessThanOrEqual(2);
      releases.shift()?.();
    }
    for (let guard = 0; guard < 100 && releases.length > 0; guard++) releases.shift()?.();
    expect(await Promise.all(jobs)).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.stats).toEqual({ running: 0, waiting: 0, done: 5 });
  });

  test('a rejected job frees its worker; idle() resolves when everything is done', async () => {
    const queue = new WorkQueue(1);
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await queue.idle();
    expect(queue.stats.done).toBe(2);
  });

  test('concurrency must be a whole number ≥ 1', () => {
    expect(() => new WorkQueue(0)).toThrow(RangeError);
    expect(() => new WorkQueue(1.5)).toThrow(RangeError);
  });
});
