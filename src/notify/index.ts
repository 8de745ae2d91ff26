// Public API of notify/: composing the voice-mail and missed-call e-mails of spec §4 and delivering
// them (Maildir or SMTP). The durable outbox builds on MailTransport.
export {
  MailDeliveryError,
  MailDeliveryTemporaryError,
  MailDeliveryPermanentError,
  MailCompositionError,
  MailSettingsError,
  type MailDeliveryFailure,
  type MailTransportKind,
} from './errors.js';
export type {
  NotificationMailbox,
  NotificationCaller,
  VoiceMailNotice,
  MissedCallNotice,
  MailCompositionOptions,
  ComposedMail,
} from './notification-types.js';
export { UNKNOWN_CALLER_LABEL, presentCaller, type CallerPresentation } from './caller-presentation.js';
export { formatLocalTime, formatFileNameTime, serverTimeZone } from './local-time.js';
export { voiceMailMessageId, missedCallMessageId } from './mail-message-id.js';
export { ATTACHMENT_FORMATS, voiceMailAttachmentName } from './audio-attachment.js';
export { composeVoiceMailEmail } from './voice-mail-email.js';
export { composeMissedCallEmail, missedCallSubject } from './missed-call-email.js';
export { createMailTransport, type MailTransport, type OutgoingMail, type MailSettings } from './mail-delivery.js';
export { MaildirTransport, maildirMessageTag, type MaildirTransportOptions } from './maildir-transport.js';
export { SmtpTransport, classifySmtpError, smtpTransportOptions, envelopeSender, type SmtpTransportOptions } from './smtp-transport.js';
export { NotificationOutbox, type NotificationOutboxOptions, type MissedCallEvent, type DeliveryResult } from './notification-outbox.js';
export { nextAttemptAt, isExpired, type RetrySchedule } from './retry-schedule.js';
export { MessageWaitingIndicator, mwiGateways, type MessageWaitingIndicatorOptions, type MwiSignalling, type MwiResult } from './message-waiting-indicator.js';
export { presentVoiceMessage, messageCaller, voiceMailSubject, durationSeconds, type VoiceMessagePresentation } from './voice-message-presentation.js';
