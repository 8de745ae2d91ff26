import type { PhoneCallInformation, VoiceMessageSummary } from '../um-backend.js';

/** A voice message as the JSON API returns it. */
export interface VoiceMessageJson {
  id: string;
  /** ISO 8601 UTC. */
  receivedAt: string;
  durationMs: number;
  /** Whole seconds, as the voice-mail e-mail's subject counts them. */
  durationSeconds: number;
  caller: string | null;
  callerName: string | null;
  read: boolean;
  subject: string;
  sizeBytes: number;
  codec: string;
  contentType: string;
  attachmentName: string;
  /** Path of the audio, relative to the server (`/api/v1/messages/<id>/audio`). */
  audioUrl: string;
}

/** A Play on Phone call as the JSON API returns it (EWS PhoneCallInformation's fields). */
export interface PhoneCallJson {
  phoneCallId: string;
  state: PhoneCallInformation['state'];
  failureCause: PhoneCallInformation['failureCause'];
  sipResponseCode: number | null;
  sipResponseText: string | null;
}

/** Wire form of a message summary. */
export function voiceMessageToJson(message: VoiceMessageSummary, prefix: string): VoiceMessageJson {
  return {
    id: message.id,
    receivedAt: message.receivedAt.toISOString(),
    durationMs: message.durationMs,
    durationSeconds: Math.round(message.durationMs / 1000),
    caller: message.caller,
    callerName: message.callerName,
    read: message.read,
    subject: message.subject,
    sizeBytes: message.sizeBytes,
    codec: message.codec,
    contentType: message.contentType,
    attachmentName: message.attachmentName,
    audioUrl: `${prefix}/messages/${encodeURIComponent(message.id)}/audio`,
  };
}

/** Wire form of a call's state. */
export function phoneCallToJson(phoneCallId: string, info: PhoneCallInformation): PhoneCallJson {
  return {
    phoneCallId,
    state: info.state,
    failureCause: info.failureCause,
    sipResponseCode: info.sipResponseCode ?? null,
    sipResponseText: info.sipResponseText ?? null,
  };
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 8187 UTF-8 name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** JSON-safe copy of a decision: `undefined` fields become null (as `openum check-dial --json` prints them). */
export function toJsonValue(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v));
  return text === undefined ? null : (JSON.parse(text) as unknown);
}
