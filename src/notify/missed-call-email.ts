import { presentCaller } from './caller-presentation.js';
import { composeMail } from './compose-mail.js';
import { formatLocalTime, serverTimeZone } from './local-time.js';
import { renderMailBody } from './mail-body.js';
import { missedCallMessageId } from './mail-message-id.js';
import type { ComposedMail, MailCompositionOptions, MissedCallNotice } from './notification-types.js';

/** Spec §4 Decision: `Missed call from <name or number>`. */
export function missedCallSubject(callerLabel: string): string {
  return `Missed call from ${callerLabel}`;
}

/** Builds the missed-call notification of spec §4 (Content-Class missedcall, no attachment, no duration). */
export async function composeMissedCallEmail(notice: MissedCallNotice, options: MailCompositionOptions): Promise<ComposedMail> {
  const timeZone = options.timeZone ?? serverTimeZone();
  const caller = presentCaller(notice.caller);
  return composeMail(
    {
      contentClass: 'missedcall',
      mailbox: notice.mailbox,
      caller,
      messageId: missedCallMessageId(notice.callId, options.domain),
      subject: missedCallSubject(caller.label),
      date: notice.receivedAt,
      body: renderMailBody({ kind: 'missed-call', caller, receivedAt: formatLocalTime(notice.receivedAt, timeZone) }),
    },
    options,
  );
}
