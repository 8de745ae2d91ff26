export { CallSession } from './call-session.js';
export type { CallMediaContext, CallSessionEvents, CollectDigitsOptions, CollectedDigits, HangupReason } from './call-session-types.js';
export { CallAnswerError, CallEndedError } from './errors.js';
export type { CallApplication, RoutedTarget } from './call-application.js';
export { createTestApplication } from './test-application.js';
export type { TestApplicationOptions, TestCallReport } from './test-application.js';
