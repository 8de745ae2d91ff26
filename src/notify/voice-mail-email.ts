import { readFile } from 'node:fs/promises';
import { composeMail } from './compose-mail.js';
import { MailCompositionError } from './errors.js';
import { renderMailBody } from './mail-body.js';
import { voiceMailMessageId } from './mail-message-id.js';
import { formatLocalTime, serverTimeZone } from './local-time.js';
import { presentVoiceMessage } from './voice-message-presentation.js';
import type { ComposedMail, MailCompositionOptions, VoiceMailNotice } from './notification-types.js';

/**
 * Builds the voice-mail e-mail of spec §4 (Content-Class voice-ca, audio attached in its storage
 * codec). Reads the audio file; throws MailCompositionError when it cannot.
 */
export async function composeVoiceMailEmail(notice: VoiceMailNotice, options: MailCompositionOptions): Promise<ComposedMail> {
  const timeZone = options.timeZone ?? serverTimeZone();
  const { caller, seconds, subject, attachmentName, contentType } = presentVoiceMessage(notice, timeZone);
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
      subject,
      date: notice.receivedAt,
      body: renderMailBody({ kind: 'voice-mail', caller, receivedAt: formatLocalTime(notice.receivedAt, timeZone), durationSeconds: seconds, attachmentName }),
      durationSeconds: seconds,
      attachment: { filename: attachmentName, contentType, content: audio },
    },
    options,
  );
}
