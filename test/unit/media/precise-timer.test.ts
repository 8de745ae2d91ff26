import { performance } from 'node:perf_hooks';
import { preciseMediaClockTimer } from '../../../src/media/precise-timer.js';

describe('precise media clock timer (coarse timeout, then a precise sleep)', () => {
  test('never fires before its time, and cancel stops a pending callback', async () => {
    const timer = preciseMediaClockTimer();
    const early: number[] = [];
    const fired = await Promise.all(
      [0, 1, 3, 7, 13, 20].map(
        (delay) =>
          new Promise<number>((resolve) => {
            const due = performance.now() + delay;
            timer.schedule(() => {
              early.push(due - performance.now());
              resolve(delay);
            }, delay);
          }),
      ),
    );
    expect(fired).toHaveLength(6);
    // Lateness depends on the machine; earliness would be a bug.
    expect(Math.max(...early)).toBeLessThanOrEqual(0.05);

    let ran = false;
    timer.cancel(timer.schedule(() => (ran = true), 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
    expect(timer.now()).toBeCloseTo(performance.now(), -1);
  });
});
