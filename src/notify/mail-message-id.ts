/**
 * Makes `text` a valid, collision-free Message-ID left part (RFC 5322 §3.6.4 dot-atom-text): letters,
 * digits, `-` and `_` stay; every other UTF-8 byte becomes `=XX`. Injective, because `=` itself is
 * escaped — SIP Call-IDs typically contain `@`, and two distinct ids must never share a Message-ID.
 */
export function messageIdPart(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `<voicemail-<id>@<domain>>`: the same stored message always gets the same Message-ID. */
export function voiceMailMessageId(messageId: string, domain: string): string {
  return `<voicemail-${messageIdPart(messageId)}@${domain}>`;
}

/** `<missedcall-<callId>@<domain>>`: the same missed call always gets the same Message-ID. */
export function missedCallMessageId(callId: string, domain: string): string {
  return `<missedcall-${messageIdPart(callId)}@${domain}>`;
}
