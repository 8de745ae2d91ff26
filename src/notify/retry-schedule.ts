/** How retries of one notification are spaced (from `Server.Mail`). Seconds. */
export interface RetrySchedule {
  /** Wait before the first retry; doubles per failed attempt. */
  retryInterval: number;
  /** Longest wait between two attempts. */
  maxRetryInterval: number;
  /** Give up this long after the notification was queued. */
  expiration: number;
}

/**
 * When attempt `failures + 1` should run after `failures` failed attempts: exponential back-off,
 * capped, with ±10 % jitter so that a mail server coming back is not hit by every node at once.
 * `random` returns [0, 1).
 */
export function nextAttemptAt(now: Date, failures: number, schedule: RetrySchedule, random: () => number = Math.random): Date {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const base = Math.min(schedule.retryInterval * 2 ** exponent, schedule.maxRetryInterval);
  const jittered = base * (0.9 + 0.2 * random());
  return new Date(now.getTime() + Math.round(jittered * 1000));
}

/** Whether a notification queued at `createdAt` is past its expiration at `now`. */
export function isExpired(createdAt: Date, now: Date, schedule: RetrySchedule): boolean {
  return now.getTime() - createdAt.getTime() >= schedule.expiration * 1000;
}
