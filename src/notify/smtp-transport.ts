import nodemailer from 'nodemailer';
import type { NodemailerError, SMTPTransportOptions, Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { ServerSettings } from '../config/index.js';
import { MailDeliveryPermanentError, MailDeliveryTemporaryError, MailSettingsError, type MailDeliveryError } from './errors.js';
import type { MailTransport, OutgoingMail } from './mail-delivery.js';

/** Options of an SmtpTransport. */
export interface SmtpTransportOptions {
  /** `Server.Mail` (Host, Port, Secure, User, Password, From). */
  settings: Omit<ServerSettings['Mail'], 'RetryInterval' | 'MaxRetryInterval' | 'MessageExpirationTimeout'>;
  /** Milliseconds to wait for the TCP (and TLS) connection. Default 10 000. */
  connectionTimeoutMs?: number;
  /** Milliseconds to wait for the server greeting. Default 10 000. */
  greetingTimeoutMs?: number;
  /** Milliseconds of socket inactivity before giving up. Default 60 000. */
  socketTimeoutMs?: number;
}

/** The envelope sender: the bare address of `Server.Mail.From`. */
export function envelopeSender(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const address = first?.address ?? '';
  if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw new MailSettingsError('From', `${JSON.stringify(from)} holds no e-mail address`);
  return address;
}

/**
 * nodemailer options for `Server.Mail`. `Secure`: `none` never upgrades (plain SMTP, even if the
 * server offers STARTTLS), `starttls` requires the upgrade on a plain connection, `tls` is implicit
 * TLS from the first byte (port 465).
 */
export function smtpTransportOptions(options: SmtpTransportOptions): SMTPTransportOptions {
  const { settings } = options;
  if (settings.Host === undefined || settings.Host === '') throw new MailSettingsError('Host', 'required when Kind is smtp');
  const secure: Partial<SMTPTransportOptions> =
    settings.Secure === 'tls' ? { secure: true } : settings.Secure === 'starttls' ? { secure: false, requireTLS: true } : { secure: false, ignoreTLS: true };
  return {
    host: settings.Host,
    port: settings.Port,
    ...secure,
    ...(settings.User === undefined ? {} : { auth: { user: settings.User, pass: settings.Password ?? '' } }),
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
  };
}

/**
 * Sorts a nodemailer failure (RFC 5321 §4.2.1): a 5yz reply to the envelope or the message is
 * permanent, except 503 (bad sequence: a new session may succeed) and authentication (535 etc.: our
 * credentials, fixable by the administrator while the mail waits). A rejected address nodemailer
 * refuses before sending is permanent. Everything else — refused or dropped connections, timeouts,
 * TLS failures, 4yz replies — is temporary.
 */
export function classifySmtpError(error: unknown, messageId: string): MailDeliveryError {
  const e = (error ?? {}) as NodemailerError;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const failure = { transport: 'smtp' as const, messageId, responseCode, cause: error };
  const detail = e.response ?? (error instanceof Error ? error.message : String(error));
  const permanent =
    (responseCode !== undefined && responseCode >= 500 && responseCode <= 599 && responseCode !== 503 && e.code !== 'EAUTH') ||
    (responseCode === undefined && e.code === 'EENVELOPE');
  return permanent
    ? new MailDeliveryPermanentError(`SMTP server refused ${messageId}: ${detail}`, failure)
    : new MailDeliveryTemporaryError(`SMTP delivery of ${messageId} failed, will retry: ${detail}`, failure);
}

/** Delivers through an SMTP server: the raw message as composed, with the envelope set explicitly. */
export class SmtpTransport implements MailTransport {
  readonly #transporter: Transporter;
  readonly #sender: string;
  #closed = false;

  constructor(options: SmtpTransportOptions) {
    this.#sender = envelopeSender(options.settings.From);
    this.#transporter = nodemailer.createTransport(smtpTransportOptions(options));
  }

  /** Sends one message; rejects with MailDeliveryTemporaryError or MailDeliveryPermanentError. */
  async deliver(mail: OutgoingMail): Promise<void> {
    try {
      await this.#transporter.sendMail({ envelope: { from: this.#sender, to: [mail.to] }, raw: mail.raw });
    } catch (error) {
      throw classifySmtpError(error, mail.messageId);
    }
  }

  /** Closes pooled connections; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transporter.close();
  }
}
