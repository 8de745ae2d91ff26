import { OpenumError } from '../errors.js';

/**
 * What the HTTP front ends (EWS SOAP, Autodiscover, JSON API) ask of the rest of openum. The app layer
 * implements it over the mailbox store, the directory and the Play on Phone service; the protocol code
 * in http/ only translates. Every method takes the authenticated user's mailbox alias and only ever
 * returns that mailbox's data.
 */
export interface UnifiedMessagingBackend {
  /** The UM user an SMTP address (PrimarySmtpAddress or an EmailAddresses entry) belongs to. */
  findUserByEmail(address: string): UmUser | undefined;
  /** The UM user with this alias (case-insensitive). */
  findUserByAlias(alias: string): UmUser | undefined;
  /** The user's voice messages (not deleted), newest first. */
  listVoiceMessages(alias: string, options?: { offset?: number; limit?: number }): Promise<VoiceMessageSummary[]>;
  /** One of the user's voice messages; undefined when there is none with this id *for this user*. */
  getVoiceMessage(alias: string, messageId: string): Promise<VoiceMessageSummary | undefined>;
  /** The audio of one of the user's messages; undefined as above. */
  getVoiceMessageAudio(alias: string, messageId: string): Promise<VoiceMessageAudio | undefined>;
  /** Starts a Play on Phone call; throws {@link UmBackendError} when refused. */
  playOnPhone(alias: string, messageId: string, dialString: string): Promise<{ phoneCallId: string }>;
  /** State of one of the user's Play on Phone calls; undefined when the id is unknown for this user. */
  getPhoneCall(alias: string, phoneCallId: string): PhoneCallInformation | undefined;
  /** Ends one of the user's Play on Phone calls; false when the id is unknown for this user. */
  disconnectPhoneCall(alias: string, phoneCallId: string): Promise<boolean>;
  /** EWS GetServiceConfiguration → UnifiedMessagingConfiguration for this user. */
  unifiedMessagingConfiguration(alias: string): UmConfigurationInfo;
  /** Where clients reach openum's HTTP endpoint (for Autodiscover's EwsUrl etc.), e.g. `https://um.contoso.com:8443`. */
  publicBaseUrl(): string;
}

/** A UM-enabled user as the HTTP layer sees it. */
export interface UmUser {
  alias: string;
  displayName: string;
  primarySmtpAddress: string;
  /** Exchange-style legacy DN, e.g. `/o=openum/ou=contoso/cn=Recipients/cn=kim`. */
  legacyDn: string;
}

/** One voice message, without its audio. */
export interface VoiceMessageSummary {
  /** The message id (UUID). EWS item ids are derived from it. */
  id: string;
  receivedAt: Date;
  durationMs: number;
  /** E.164 number or SIP URI; null when anonymous. */
  caller: string | null;
  callerName: string | null;
  /** True once listened to (state `read`). */
  read: boolean;
  /** The subject its voice-mail e-mail carries (`Voice Mail from … (n seconds)`). */
  subject: string;
  sizeBytes: number;
  /** Storage codec (G711, Gsm, Wma, Mp3). */
  codec: string;
  /** Attachment file name, e.g. `Voice Mail from Kim 2026-11-25 10-30.wav`. */
  attachmentName: string;
  /** MIME type of the audio, e.g. `audio/wav`, `audio/mpeg`. */
  contentType: string;
}

/** The audio of a voice message. */
export interface VoiceMessageAudio {
  summary: VoiceMessageSummary;
  /** Absolute path of the audio file. */
  path: string;
}

/** Play on Phone states (spec §8). */
export type PhoneCallState = 'Idle' | 'Connecting' | 'Alerted' | 'Connected' | 'Disconnected';
/** Play on Phone failure causes (spec §8). */
export type ConnectionFailureCause = 'None' | 'UserBusy' | 'NoAnswer' | 'Unavailable' | 'Other';

/** What GetPhoneCallInformation reports. */
export interface PhoneCallInformation {
  state: PhoneCallState;
  failureCause: ConnectionFailureCause;
  /** The last SIP final (or provisional) response code, when there was one. */
  sipResponseCode?: number;
  sipResponseText?: string;
}

/** EWS UnifiedMessagingConfiguration. */
export interface UmConfigurationInfo {
  umEnabled: boolean;
  playOnPhoneEnabled: boolean;
  /** The number Play on Phone dials by default (the user's phone), may be ''. */
  playOnPhoneDialString: string;
}

/**
 * Why the backend refused a request. Each maps to one EWS ResponseCode (spec §8.1) and one HTTP status
 * in the JSON API.
 */
export type UmRefusal =
  | 'invalid-phone-number' // ErrorInvalidPhoneNumber: does not fit the dialing rules
  | 'phone-number-not-dialable' // ErrorPhoneNumberNotDialable: malformed
  | 'invalid-sip-uri' // ErrorInvalidSIPUri
  | 'invalid-phone-call-id' // ErrorInvalidPhoneCallId
  | 'user-not-um-enabled' // ErrorUserNotUnifiedMessagingEnabled (also: Play on Phone not allowed)
  | 'dial-plan-not-found' // ErrorUnifiedMessagingDialPlanNotFound
  | 'request-failed' // ErrorUnifiedMessagingRequestFailed (e.g. a call already in progress, no gateway)
  | 'item-not-found'; // ErrorItemNotFound

/** A refusal with its reason and a human-readable message (becomes EWS MessageText). */
export class UmBackendError extends OpenumError {
  constructor(readonly refusal: UmRefusal, message: string, options: { cause?: unknown } = {}) {
    super(`OPENUM_UM_${refusal.toUpperCase().replace(/-/g, '_')}`, message, options);
  }
}
