import type { ServerSettings } from '../config/index.js';
import { MailSettingsError } from './errors.js';
import { MaildirTransport } from './maildir-transport.js';
import { SmtpTransport, type SmtpTransportOptions } from './smtp-transport.js';

/** One e-mail handed to a transport. */
export interface OutgoingMail {
  /** The envelope recipient (a mailbox's PrimarySmtpAddress). */
  to: string;
  /** The Message-ID, with angle brackets; what makes a redelivery recognisable. */
  messageId: string;
  /** The complete RFC 5322 message. */
  raw: Buffer;
}

/**
 * Where notification e-mail goes. The outbox owns retries: `deliver` tries once and rejects with a
 * MailDeliveryError whose `temporary` flag says whether trying again can help.
 */
export interface MailTransport {
  /** Delivers one message; resolves once it is durably stored or accepted by the server. */
  deliver(mail: OutgoingMail): Promise<void>;
  /** Releases connections; idempotent. */
  close(): void;
}

/** `Server.Mail` with Directory resolved to an absolute path (as the config layer leaves it). */
export type MailSettings = Omit<ServerSettings['Mail'], 'RetryInterval' | 'MaxRetryInterval' | 'MessageExpirationTimeout'> & { Directory: string };

/** Builds the transport `Server.Mail.Kind` selects. */
export function createMailTransport(settings: MailSettings, smtpOptions: Omit<SmtpTransportOptions, 'settings'> = {}): MailTransport {
  if (settings.Kind === 'maildir') {
    if (settings.Directory === '') throw new MailSettingsError('Directory', 'required when Kind is maildir');
    return new MaildirTransport({ directory: settings.Directory });
  }
  return new SmtpTransport({ ...smtpOptions, settings });
}
