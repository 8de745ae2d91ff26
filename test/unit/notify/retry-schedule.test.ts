import { isExpired, nextAttemptAt } from '../../../src/notify/index.js';

const schedule = { retryInterval: 30, maxRetryInterval: 900, expiration: 172800 };
const now = new Date('2026-11-25T10:00:00Z');
const waitSeconds = (failures: number, random: number) => (nextAttemptAt(now, failures, schedule, () => random).getTime() - now.getTime()) / 1000;

describe('notification retry schedule', () => {
  test('doubles from RetryInterval per failure up to MaxRetryInterval', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => waitSeconds(n, 0.5))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  test('jitter stays within ±10 %', () => {
    expect(waitSeconds(2, 0)).toBe(54);
    expect(waitSeconds(2, 0.999999)).toBeCloseTo(66, 3);
  });

  test('a notification expires MessageExpirationTimeout after it was queued', () => {
    const queued = new Date(now.getTime() - 172800_000);
    expect(isExpired(queued, now, schedule)).toBe(true);
    expect(isExpired(new Date(queued.getTime() + 1000), now, schedule)).toBe(false);
  });
});
