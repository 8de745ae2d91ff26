import { readFile } from 'node:fs/promises';
import { ATTACHMENT_FORMATS, voiceMailAttachmentName } from './audio-attachment.js';
import { presentCaller } from './caller-presentation.js';
import { composeMail } from './compose-mail.js';
import { MailCompositionError } from './errors.js';
import { formatFileNameTime, formatLocalTime, serverTimeZone } from './local-time.js';
import { renderMailBody } from './mail-body.js';
import { voiceMailMessageId } from './mail-message-id.js';
import type { ComposedMail, MailCompositionOptions, VoiceMailNotice } from './notification-types.js';

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

/**
 * Builds the voice-mail e-mail of spec §4 (Content-Class voice-ca, audio attached in its storage
 * codec). Reads the audio file; throws MailCompositionError when it cannot.
 */
export async function composeVoiceMailEmail(notice: VoiceMailNotice, options: MailCompositionOptions): Promise<ComposedMail> {
  const timeZone = options.timeZone ?? serverTimeZone();
  const caller = presentCaller(notice.caller);
  const seconds = durationSeconds(notice.durationMs);
  const attachmentName = voiceMailAttachmentName(caller.label, formatFileNameTime(notice.receivedAt, timeZone), notice.codec);
  let audio: Buffer;
  try {
    audio = await readFile(notice.audioPath);
  } catch (error) {
    throw new MailCompositionError(`cannot read the audio of message ${notice.messageId}: ${notice.audioPath}`, notice.audioPath, error);
  }
  return composeMail(
    {
      contentClass: 'voice-ca',
      mailbox: notice.mailbox,
      caller,
      messageId: voiceMailMessageId(notice.messageId, options.domain),
      subject: voiceMailSubject(caller.label, seconds),
      date: notice.receivedAt,
      body: renderMailBody({ kind: 'voice-mail', caller, receivedAt: formatLocalTime(notice.receivedAt, timeZone), durationSeconds: seconds, attachmentName }),
      durationSeconds: seconds,
      attachment: { filename: attachmentName, contentType: ATTACHMENT_FORMATS[notice.codec].mimeType, content: audio },
    },
    options,
  );
}
