export { CallSession } from './call-session.js';
export type { CallMediaContext, CallSessionEvents, CollectDigitsOptions, CollectedDigits, HangupReason } from './call-session-types.js';
export { CallAnswerError, CallEndedError } from './errors.js';
export type { CallApplication, CallContext, RoutedTarget } from './call-application.js';
export { callerIdentity } from './caller-identity.js';
export type { CallerIdentity } from './caller-identity.js';
export { createTestApplication } from './test-application.js';
export type { TestApplicationOptions, TestCallReport } from './test-application.js';
export { createVoicemailApplication } from './voicemail/voicemail-application.js';
export type { CallAnsweringOutcome, VoicemailApplicationOptions } from './voicemail/voicemail-application.js';
export {
  PlayOnPhoneService, PlayOnPhoneRefusedError, PlayOnPhoneStateError, PlayOnPhoneClosedError, PhoneCallState, ConnectionFailureCause,
} from './play-on-phone/index.js';
export type { PlayOnPhoneRefusal, PlayOnPhoneRequest, PlayOnPhoneServiceOptions, PhoneCallInformation, PlayOnPhoneMessages, OutboundCaller, OutboundCallTracker } from './play-on-phone/index.js';
