import type { StorageCodec, StoredMessage } from '../mailbox/index.js';
import { ATTACHMENT_FORMATS, voiceMailAttachmentName } from './audio-attachment.js';
import { presentCaller } from './caller-presentation.js';
import type { CallerPresentation } from './caller-presentation.js';
import { formatFileNameTime, serverTimeZone } from './local-time.js';
import type { NotificationCaller } from './notification-types.js';

/** How a voice message appears to its user, in the e-mail and to EWS/API clients alike. */
export interface VoiceMessagePresentation {
  caller: CallerPresentation;
  /** Whole seconds, as the subject shows them. */
  seconds: number;
  /** `Voice Mail from <name or number> (<n> seconds)`. */
  subject: string;
  /** `Voice Mail from <caller> <yyyy-mm-dd hh-mm>.<ext>`. */
  attachmentName: string;
  /** MIME type of the audio in its storage codec. */
  contentType: string;
}

/** The caller of a stored message as a notification shows it. */
export function messageCaller(message: Pick<StoredMessage, 'caller' | 'callerName'>): NotificationCaller {
  return { id: message.caller, isNumber: message.caller !== null && /^\+?\d+$/.test(message.caller), name: message.callerName ?? undefined };
}

/** Subject, attachment name and type of a message (spec §4 decisions). */
export function presentVoiceMessage(
  message: { caller: NotificationCaller; receivedAt: Date; durationMs: number; codec: StorageCodec },
  timeZone: string = serverTimeZone(),
): VoiceMessagePresentation {
  const caller = presentCaller(message.caller);
  const seconds = durationSeconds(message.durationMs);
  return {
    caller,
    seconds,
    subject: voiceMailSubject(caller.label, seconds),
    attachmentName: voiceMailAttachmentName(caller.label, formatFileNameTime(message.receivedAt, timeZone), message.codec),
    contentType: ATTACHMENT_FORMATS[message.codec].mimeType,
  };
}

/**
 * Whole seconds shown for a message: rounded to nearest, but never 0 for a non-empty recording
 * (a kept message has at least 1 s of voice, spec §3.2, so 0 would only come from odd input).
 */
export function durationSeconds(durationMs: number): number {
  if (!(durationMs > 0)) return 0;
  return Math.max(1, Math.round(durationMs / 1000));
}

/** Spec §4 Decision: `Voice Mail from <name or number> (<n> seconds)`. */
export function voiceMailSubject(callerLabel: string, seconds: number): string {
  return `Voice Mail from ${callerLabel} (${seconds} seconds)`;
}
