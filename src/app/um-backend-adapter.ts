import type { PlayOnPhoneService } from '../calls/index.js';
import { PlayOnPhoneRefusedError } from '../calls/index.js';
import type { OpenumConfiguration, UMMailbox } from '../config/index.js';
import type { Directory } from '../directory/index.js';
import { UmBackendError } from '../http/index.js';
import type { PhoneCallInformation, UmConfigurationInfo, UmUser, UnifiedMessagingBackend, VoiceMessageAudio, VoiceMessageSummary } from '../http/index.js';
import type { MailboxService, StoredMessage } from '../mailbox/index.js';
import { messageCaller, presentVoiceMessage } from '../notify/index.js';

/** What the adapter is built from. */
export interface UmBackendAdapterOptions {
  configuration: OpenumConfiguration;
  directory: Directory;
  mailboxes: MailboxService;
  playOnPhone: PlayOnPhoneService;
  /** `Server.Http.PublicUrl`, or what the listener makes of it (known once it listens). */
  publicBaseUrl: () => string;
}

/**
 * The HTTP front ends' view of openum (EWS, Autodiscover, JSON API): the directory, the message store
 * and the Play on Phone service, each call confined to the authenticated user's mailbox.
 */
export class UmBackendAdapter implements UnifiedMessagingBackend {
  private readonly byEmail = new Map<string, UMMailbox>();

  constructor(private readonly options: UmBackendAdapterOptions) {
    for (const mailbox of options.configuration.UMMailboxes) {
      for (const address of [mailbox.PrimarySmtpAddress, ...smtpProxies(mailbox)]) {
        const key = address.toLowerCase();
        if (!this.byEmail.has(key)) this.byEmail.set(key, mailbox);
      }
    }
  }

  findUserByEmail(address: string): UmUser | undefined {
    const mailbox = this.byEmail.get(address.trim().toLowerCase().replace(/^smtp:/, ''));
    return mailbox ? this.user(mailbox) : undefined;
  }

  findUserByAlias(alias: string): UmUser | undefined {
    const mailbox = this.options.directory.findMailbox(alias);
    return mailbox ? this.user(mailbox) : undefined;
  }

  async listVoiceMessages(alias: string, options: { offset?: number; limit?: number } = {}): Promise<VoiceMessageSummary[]> {
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const limit = options.limit === undefined ? undefined : offset + Math.max(0, Math.floor(options.limit));
    const messages = await this.options.mailboxes.store.listMessages(this.alias(alias), limit === undefined ? {} : { limit });
    return messages.slice(offset).map((m) => this.summary(m));
  }

  async getVoiceMessage(alias: string, messageId: string): Promise<VoiceMessageSummary | undefined> {
    const message = await this.message(alias, messageId);
    return message ? this.summary(message) : undefined;
  }

  async getVoiceMessageAudio(alias: string, messageId: string): Promise<VoiceMessageAudio | undefined> {
    const message = await this.message(alias, messageId);
    return message ? { summary: this.summary(message), path: this.options.mailboxes.audioFilePath(message) } : undefined;
  }

  async playOnPhone(alias: string, messageId: string, dialString: string): Promise<{ phoneCallId: string }> {
    try {
      return await this.options.playOnPhone.start({ alias: this.alias(alias), messageId, dialString });
    } catch (error) {
      if (error instanceof PlayOnPhoneRefusedError) throw new UmBackendError(error.refusal, error.message, { cause: error });
      throw new UmBackendError('request-failed', 'the Play on Phone call could not be started', { cause: error });
    }
  }

  getPhoneCall(alias: string, phoneCallId: string): PhoneCallInformation | undefined {
    return this.options.playOnPhone.get(this.alias(alias), phoneCallId);
  }

  disconnectPhoneCall(alias: string, phoneCallId: string): Promise<boolean> {
    return this.options.playOnPhone.disconnect(this.alias(alias), phoneCallId);
  }

  unifiedMessagingConfiguration(alias: string): UmConfigurationInfo {
    const mailbox = this.options.directory.findMailbox(alias);
    if (!mailbox) return { umEnabled: false, playOnPhoneEnabled: false, playOnPhoneDialString: '' };
    const policy = this.options.directory.policyOfMailbox(mailbox);
    return {
      umEnabled: true,
      playOnPhoneEnabled: mailbox.PlayOnPhoneEnabled && policy?.AllowPlayOnPhone !== false,
      playOnPhoneDialString: mailbox.PlayOnPhoneDialString ?? mailbox.Extensions[0] ?? '',
    };
  }

  publicBaseUrl(): string {
    return this.options.publicBaseUrl();
  }

  private user(mailbox: UMMailbox): UmUser {
    const domain = this.options.configuration.Server.Domain;
    return {
      alias: mailbox.Alias,
      displayName: mailbox.DisplayName,
      primarySmtpAddress: mailbox.PrimarySmtpAddress,
      legacyDn: `/o=openum/ou=${domain}/cn=Recipients/cn=${mailbox.Alias}`,
    };
  }

  /** The configured alias spelling (the store keys messages by it). */
  private alias(alias: string): string {
    return this.options.directory.findMailbox(alias)?.Alias ?? alias;
  }

  private async message(alias: string, messageId: string): Promise<StoredMessage | undefined> {
    const message = await this.options.mailboxes.store.getMessage(messageId);
    // Another user's message, or a deleted one, does not exist for this user.
    if (!message || message.mailbox !== this.alias(alias) || message.state === 'deleted') return undefined;
    return message;
  }

  private summary(message: StoredMessage): VoiceMessageSummary {
    const shown = presentVoiceMessage({ caller: messageCaller(message), receivedAt: message.receivedAt, durationMs: message.durationMs, codec: message.codec });
    return {
      id: message.id,
      receivedAt: message.receivedAt,
      durationMs: message.durationMs,
      caller: message.caller,
      callerName: message.callerName,
      read: message.state === 'read',
      subject: shown.subject,
      sizeBytes: message.sizeBytes,
      codec: message.codec,
      attachmentName: shown.attachmentName,
      contentType: shown.contentType,
    };
  }
}

/** `smtp:` entries of a mailbox's EmailAddresses, when the configuration keeps them. */
function smtpProxies(mailbox: UMMailbox): string[] {
  const addresses = (mailbox as { EmailAddresses?: unknown }).EmailAddresses;
  if (!Array.isArray(addresses)) return [];
  return addresses.filter((a): a is string => typeof a === 'string' && /^smtp:/i.test(a)).map((a) => a.slice(5));
}
