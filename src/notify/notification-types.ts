import type { StorageCodec } from '../mailbox/index.js';

/** The mailbox a notification goes to (the directory attributes it needs). */
export interface NotificationMailbox {
  /** The mailbox `Alias`. */
  Alias: string;
  /** Shown in the greeting line of the body. */
  DisplayName: string;
  /** The recipient address (`To:`). */
  PrimarySmtpAddress: string;
}

/** Who called, as caller-ID resolution (spec §5) left it. */
export interface NotificationCaller {
  /** E.164 number (`+14255550100`) or SIP URI (`sip:alice@contoso.com`); null for an anonymous caller. */
  id: string | null;
  /** True when `id` is a telephone number, false when it is a SIP URI. */
  isNumber: boolean;
  /** The resolved display name, when resolution found one. */
  name?: string | undefined;
}

/** What the voice-mail e-mail is built from. */
export interface VoiceMailNotice {
  /** The message id (UUID) of the stored voice message; names the Message-ID. */
  messageId: string;
  /** The called user. */
  mailbox: NotificationMailbox;
  /** The caller. */
  caller: NotificationCaller;
  /** When the call was answered. */
  receivedAt: Date;
  /** Audio length, ms. */
  durationMs: number;
  /** The storage codec of the audio file (spec §3.3). */
  codec: StorageCodec;
  /** Absolute path of the stored audio file, attached as it is. */
  audioPath: string;
}

/** What the missed-call notification is built from. */
export interface MissedCallNotice {
  /** The SIP Call-ID of the missed call; names the Message-ID. */
  callId: string;
  /** The called user. */
  mailbox: NotificationMailbox;
  /** The caller. */
  caller: NotificationCaller;
  /** When the call reached UM. */
  receivedAt: Date;
}

/** Server settings the composers need (from `Server.Domain` and `Server.Mail.From`). */
export interface MailCompositionOptions {
  /** `Server.Mail.From`, e.g. `Microsoft Exchange Unified Messaging <um@contoso.com>`. */
  from: string;
  /** `Server.Domain`: the right-hand side of every Message-ID. */
  domain: string;
  /** IANA time zone for times shown in the mail; default: the server's local zone. */
  timeZone?: string | undefined;
}

/** A composed e-mail, ready for a MailTransport. */
export interface ComposedMail {
  /** The recipient address (the mailbox's PrimarySmtpAddress). */
  to: string;
  /** The Message-ID, with angle brackets; stable for a given message or call. */
  messageId: string;
  /** The Subject, decoded. */
  subject: string;
  /** The whole RFC 5322 message, CRLF line ends. */
  raw: Buffer;
}
