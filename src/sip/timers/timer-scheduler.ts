/** Opaque handle returned by a {@link TimerScheduler}. */
export type TimerHandle = unknown;

/**
 * The clock the SIP timers run on. Injected so that RFC 3261 timer behaviour (A, B, E, F, G, H, J)
 * is testable without sleeping.
 */
export interface TimerScheduler {
  /** Run `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancel a timer; unknown or already-fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The process clock. */
export const systemTimers: TimerScheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
