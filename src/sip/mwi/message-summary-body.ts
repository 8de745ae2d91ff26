/** Message counts of one mailbox, as RFC 3842 reports them. */
export interface MessageSummaryCounts {
  newMessages: number;
  oldMessages: number;
  urgentNew: number;
  urgentOld: number;
}

/** The body type of message-summary NOTIFYs. */
export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

/**
 * An RFC 3842 `application/simple-message-summary` body (spec §9): `Messages-Waiting`, the
 * `Message-Account` (the user's SIP URI) and the voice-message counts `new/old (urgent new/urgent old)`.
 */
export function formatMessageSummary(account: string, counts: MessageSummaryCounts): string {
  return [
    `Messages-Waiting: ${counts.newMessages > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.newMessages}/${counts.oldMessages} (${counts.urgentNew}/${counts.urgentOld})`,
    '',
  ].join('\r\n');
}

/** Reads a body made by {@link formatMessageSummary} (and by other notifiers); undefined when it is not one. */
export function parseMessageSummary(body: string): { waiting: boolean; account: string | undefined; voice: MessageSummaryCounts | undefined } | undefined {
  const waiting = /^Messages-Waiting:\s*(yes|no)\s*$/im.exec(body);
  if (!waiting) return undefined;
  const account = /^Message-Account:\s*(\S+)\s*$/im.exec(body)?.[1];
  const voice = /^Voice-Message:\s*(\d+)\/(\d+)(?:\s*\((\d+)\/(\d+)\))?\s*$/im.exec(body);
  return {
    waiting: waiting[1]!.toLowerCase() === 'yes',
    account,
    voice: voice ? { newMessages: Number(voice[1]), oldMessages: Number(voice[2]), urgentNew: Number(voice[3] ?? 0), urgentOld: Number(voice[4] ?? 0) } : undefined,
  };
}
