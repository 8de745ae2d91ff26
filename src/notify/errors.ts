import { OpenumError } from '../errors.js';

/** Which transport a delivery failure came from. */
export type MailTransportKind = 'maildir' | 'smtp';

/** Details of one failed delivery. */
export interface MailDeliveryFailure {
  /** The transport that failed. */
  transport: MailTransportKind;
  /** The Message-ID of the mail that was not delivered. */
  messageId: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number | undefined;
  /** The foreign error (nodemailer, fs), kept for logs. */
  cause?: unknown;
}

/**
 * A delivery failed. `temporary` tells the outbox whether to retry with back-off (true) or to give the
 * mail up and report it (false); the subclasses carry distinct codes.
 */
export abstract class MailDeliveryError extends OpenumError {
  /** True when the same mail may go through later. */
  abstract readonly temporary: boolean;
  /** The transport that failed. */
  readonly transport: MailTransportKind;
  /** The Message-ID of the mail. */
  readonly messageId: string;
  /** The SMTP reply code, when the server answered. */
  readonly responseCode: number | undefined;

  protected constructor(code: string, message: string, failure: MailDeliveryFailure) {
    super(code, message, { cause: failure.cause });
    this.transport = failure.transport;
    this.messageId = failure.messageId;
    this.responseCode = failure.responseCode;
  }
}

/** The mail could not be delivered now (server unreachable, 4xx, disk full): retry later. */
export class MailDeliveryTemporaryError extends MailDeliveryError {
  /** Always true. */
  readonly temporary = true;

  constructor(message: string, failure: MailDeliveryFailure) {
    super('OPENUM_NOTIFY_DELIVERY_TEMPORARY', message, failure);
  }
}

/** The mail was refused for good (5xx to the message or recipient, unusable address): do not retry. */
export class MailDeliveryPermanentError extends MailDeliveryError {
  /** Always false. */
  readonly temporary = false;

  constructor(message: string, failure: MailDeliveryFailure) {
    super('OPENUM_NOTIFY_DELIVERY_PERMANENT', message, failure);
  }
}

/** A notification e-mail could not be built (the audio file cannot be read). */
export class MailCompositionError extends OpenumError {
  /** The file concerned, when a file was the problem. */
  readonly path: string | undefined;

  constructor(message: string, path: string | undefined, cause?: unknown) {
    super('OPENUM_NOTIFY_COMPOSE_FAILED', message, { cause });
    this.path = path;
  }
}

/** `Server.Mail` lacks what the chosen Kind needs (smtp without Host) or From is not an address. */
export class MailSettingsError extends OpenumError {
  /** The offending property under `Server.Mail`. */
  readonly property: string;

  constructor(property: string, message: string) {
    super('OPENUM_NOTIFY_MAIL_SETTINGS', `Server.Mail.${property}: ${message}`);
    this.property = property;
  }
}
