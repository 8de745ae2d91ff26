export { systemTimers } from './timer-scheduler.js';
export type { TimerHandle, TimerScheduler } from './timer-scheduler.js';
export { DEFAULT_SIP_TIMERS } from './sip-timer-settings.js';
export type { SipTimerSettings } from './sip-timer-settings.js';
