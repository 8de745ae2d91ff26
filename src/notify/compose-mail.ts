import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerAttachment } from 'nodemailer/lib/mail-composer';
import type { CallerPresentation } from './caller-presentation.js';
import { MailCompositionError } from './errors.js';
import type { MailBody } from './mail-body.js';
import type { ComposedMail, MailCompositionOptions, NotificationMailbox } from './notification-types.js';

/** `Content-Class` values of [MS-OXCMAIL] for UM messages (spec §4). */
export type NotificationContentClass = 'voice-ca' | 'missedcall';

/** Everything one notification e-mail is made of, after presentation decisions. */
export interface MailParts {
  /** `Content-Class`. */
  contentClass: NotificationContentClass;
  /** The recipient. */
  mailbox: NotificationMailbox;
  /** The caller. */
  caller: CallerPresentation;
  /** Message-ID, with angle brackets. */
  messageId: string;
  /** Subject. */
  subject: string;
  /** `Date:` — the time of the call, so a resend is the same message. */
  date: Date;
  /** The two body alternatives. */
  body: MailBody;
  /** `X-VoiceMessageDuration`, voice mail only. */
  durationSeconds?: number | undefined;
  /** The audio attachment, voice mail only. */
  attachment?: { filename: string; contentType: string; content: Buffer } | undefined;
}

/** Builds the raw message with nodemailer's MailComposer (CRLF, MIME-encoded non-ASCII headers). */
export async function composeMail(parts: MailParts, options: MailCompositionOptions): Promise<ComposedMail> {
  // Ordered as Exchange writes them; values are already free of CR/LF (caller-presentation.ts).
  const headers: Record<string, string> = { 'Content-Class': parts.contentClass };
  if (parts.caller.address !== undefined) headers['X-CallingTelephoneNumber'] = parts.caller.address;
  if (parts.durationSeconds !== undefined) headers['X-VoiceMessageDuration'] = String(parts.durationSeconds);
  if (parts.caller.name !== undefined) headers['X-VoiceMessageSenderName'] = parts.caller.name;

  const attachments: MailComposerAttachment[] = [];
  if (parts.attachment !== undefined) {
    attachments.push({ ...parts.attachment, contentDisposition: 'attachment' });
  }
  const composer = new MailComposer({
    from: options.from,
    to: { name: parts.mailbox.DisplayName, address: parts.mailbox.PrimarySmtpAddress },
    subject: parts.subject,
    messageId: parts.messageId,
    date: parts.date,
    headers,
    text: parts.body.text,
    html: parts.body.html,
    attachments,
    // RFC 5322 wants CRLF everywhere; the bodies are written with LF.
    newline: 'windows',
    // Boundaries derived from the Message-ID make the same notification byte-identical on a resend.
    baseBoundary: createHash('sha256').update(parts.messageId).digest('hex').slice(0, 16),
  });
  let raw: Buffer;
  try {
    raw = await composer.compile().build();
  } catch (error) {
    throw new MailCompositionError(`cannot build ${parts.messageId}: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
  }
  return { to: parts.mailbox.PrimarySmtpAddress, messageId: parts.messageId, subject: parts.subject, raw };
}
