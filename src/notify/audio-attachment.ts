import type { StorageCodec } from '../mailbox/index.js';

/**
 * Attachment MIME type and file extension per storage codec (spec §3.3): G711 is PCM in WAV and Gsm is
 * GSM 06.10 in WAV, both `audio/wav`; Wma is ASF (`audio/x-ms-wma`); Mp3 is `audio/mpeg`. Kept equal
 * to mailbox/'s STORAGE_FORMATS (a unit test compares them).
 */
export const ATTACHMENT_FORMATS: Readonly<Record<StorageCodec, { mimeType: string; extension: string }>> = {
  G711: { mimeType: 'audio/wav', extension: 'wav' },
  Gsm: { mimeType: 'audio/wav', extension: 'wav' },
  Wma: { mimeType: 'audio/x-ms-wma', extension: 'wma' },
  Mp3: { mimeType: 'audio/mpeg', extension: 'mp3' },
};

/** Longest caller label kept in a file name (the rest is cut), so names stay well under 255 bytes. */
export const MAX_FILE_NAME_LABEL = 64;

/** Characters Windows, macOS or Linux refuse in a file name, plus controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE_FILE_NAME_CHARACTERS = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/** Replaces unsafe characters with `_` and trims dots and spaces (Windows drops trailing ones). */
export function fileNameSafe(text: string): string {
  return [...text.replace(UNSAFE_FILE_NAME_CHARACTERS, '_')].slice(0, MAX_FILE_NAME_LABEL).join('').replace(/^[.\s]+|[.\s]+$/g, '');
}

/** `Voice Mail from <caller> <yyyy-mm-dd hh-mm>.<ext>`, safe on every file system. */
export function voiceMailAttachmentName(callerLabel: string, localTime: string, codec: StorageCodec): string {
  const caller = fileNameSafe(callerLabel) || 'caller';
  return `Voice Mail from ${caller} ${localTime}.${ATTACHMENT_FORMATS[codec].extension}`;
}
