import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UmBackendError } from '../../../src/http/um-backend.js';
import type {
  PhoneCallInformation,
  UmConfigurationInfo,
  UmRefusal,
  UmUser,
  UnifiedMessagingBackend,
  VoiceMessageAudio,
  VoiceMessageSummary,
} from '../../../src/http/um-backend.js';

/** A message of the double: its summary, its owner and its audio bytes. */
export interface StoredMessage {
  alias: string;
  summary: VoiceMessageSummary;
  audio: Buffer;
}

/**
 * A test double of the backend for the protocol layer: users and messages in memory, audio in a temp
 * directory, Play on Phone calls in a map. Dial strings listed in `refusals` are refused with that reason.
 */
export class InMemoryUmBackend implements UnifiedMessagingBackend {
  readonly users: UmUser[] = [];
  readonly messages: StoredMessage[] = [];
  readonly calls = new Map<string, { alias: string; messageId: string; dialString: string; info: PhoneCallInformation }>();
  readonly refusals = new Map<string, UmRefusal>();
  readonly playOnPhoneEnabled = new Map<string, boolean>();
  /** Set to make listVoiceMessages throw an unexpected error (not a refusal). */
  failListing = false;
  baseUrl = 'https://um.contoso.com';
  private directory: string | undefined;
  private nextCall = 1;

  /** Creates the temp directory the audio files go to. */
  async open(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), 'openum-ews-'));
  }

  /** Removes the temp directory. */
  async close(): Promise<void> {
    if (this.directory !== undefined) await rm(this.directory, { recursive: true, force: true });
  }

  addUser(alias: string, displayName: string, primarySmtpAddress: string): UmUser {
    const user = { alias, displayName, primarySmtpAddress, legacyDn: `/o=openum/ou=contoso/cn=Recipients/cn=${alias}` };
    this.users.push(user);
    return user;
  }

  async addMessage(alias: string, fields: Partial<VoiceMessageSummary> & { id: string; receivedAt: Date }, audio = Buffer.from('RIFF....WAVEfmt ')): Promise<StoredMessage> {
    const summary: VoiceMessageSummary = {
      durationMs: 12_400,
      caller: '+14255550100',
      callerName: 'Kim Akers',
      read: false,
      subject: 'Voice Mail from Kim Akers (12 seconds)',
      sizeBytes: audio.length,
      codec: 'G711',
      attachmentName: `Voice Mail from Kim Akers ${fields.id}.wav`,
      contentType: 'audio/wav',
      ...fields,
    };
    if (this.directory === undefined) throw new Error('open() the backend first');
    await writeFile(join(this.directory, `${summary.id}.wav`), audio);
    const stored = { alias, summary, audio };
    this.messages.push(stored);
    return stored;
  }

  findUserByEmail(address: string): UmUser | undefined {
    return this.users.find((user) => user.primarySmtpAddress.toLowerCase() === address.toLowerCase());
  }

  findUserByAlias(alias: string): UmUser | undefined {
    return this.users.find((user) => user.alias.toLowerCase() === alias.toLowerCase());
  }

  async listVoiceMessages(alias: string, options: { offset?: number; limit?: number } = {}): Promise<VoiceMessageSummary[]> {
    if (this.failListing) throw new Error('database is locked');
    const mine = this.own(alias)
      .map((message) => message.summary)
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    const offset = options.offset ?? 0;
    return mine.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  }

  async getVoiceMessage(alias: string, messageId: string): Promise<VoiceMessageSummary | undefined> {
    return this.own(alias).find((message) => message.summary.id === messageId)?.summary;
  }

  async getVoiceMessageAudio(alias: string, messageId: string): Promise<VoiceMessageAudio | undefined> {
    const summary = await this.getVoiceMessage(alias, messageId);
    if (summary === undefined || this.directory === undefined) return undefined;
    return { summary, path: join(this.directory, `${messageId}.wav`) };
  }

  async playOnPhone(alias: string, messageId: string, dialString: string): Promise<{ phoneCallId: string }> {
    if (this.playOnPhoneEnabled.get(alias.toLowerCase()) === false) throw new UmBackendError('user-not-um-enabled', 'Play on Phone is not enabled for this user.');
    if ((await this.getVoiceMessage(alias, messageId)) === undefined) throw new UmBackendError('item-not-found', 'The specified object was not found in the store.');
    const refusal = this.refusals.get(dialString);
    if (refusal !== undefined) throw new UmBackendError(refusal, `refused: ${refusal}`);
    const phoneCallId = `call-${this.nextCall++}`;
    this.calls.set(phoneCallId, { alias: alias.toLowerCase(), messageId, dialString, info: { state: 'Connecting', failureCause: 'None' } });
    return { phoneCallId };
  }

  getPhoneCall(alias: string, phoneCallId: string): PhoneCallInformation | undefined {
    const call = this.calls.get(phoneCallId);
    return call !== undefined && call.alias === alias.toLowerCase() ? call.info : undefined;
  }

  async disconnectPhoneCall(alias: string, phoneCallId: string): Promise<boolean> {
    const call = this.calls.get(phoneCallId);
    if (call === undefined || call.alias !== alias.toLowerCase()) return false;
    call.info = { state: 'Disconnected', failureCause: 'None' };
    return true;
  }

  unifiedMessagingConfiguration(alias: string): UmConfigurationInfo {
    const enabled = this.playOnPhoneEnabled.get(alias.toLowerCase()) ?? true;
    return { umEnabled: true, playOnPhoneEnabled: enabled, playOnPhoneDialString: enabled ? '+14255550123' : '' };
  }

  publicBaseUrl(): string {
    return this.baseUrl;
  }

  private own(alias: string): StoredMessage[] {
    return this.messages.filter((message) => message.alias.toLowerCase() === alias.toLowerCase());
  }
}
