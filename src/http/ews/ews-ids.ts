import { createHash } from 'node:crypto';
import { EwsResponseError } from './ews-errors.js';

/*
 * EWS ids are opaque base64 to the client. openum's carry a magic, a kind byte and the message id:
 *
 *   +------+------+------+------+------------------------+
 *   | 'O'  | 'U'  | ver  | kind | message id (UTF-8) ... |
 *   +------+------+------+------+------------------------+
 *
 * Nothing secret is in them and nothing needs to be: an id only names a message, and every lookup is made
 * with the authenticated mailbox, so another user's id (guessed, forged or leaked) finds nothing.
 */

const MAGIC = Buffer.from('OU', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 4;
const MAX_ID_CHARS = 512;

/** What an id names: a voice message (item) or its audio (attachment). */
export type EwsIdKind = 'item' | 'attachment';

const KIND_BYTE: Readonly<Record<EwsIdKind, number>> = { item: 0x49 /* I */, attachment: 0x41 /* A */ };

/** The EWS id of a message (`t:ItemId Id`) or of its audio attachment (`t:AttachmentId Id`). */
export function encodeEwsId(kind: EwsIdKind, messageId: string): string {
  const header = Buffer.from([MAGIC[0] ?? 0, MAGIC[1] ?? 0, VERSION, KIND_BYTE[kind]]);
  return Buffer.concat([header, Buffer.from(messageId, 'utf8')]).toString('base64');
}

/** The message id inside an EWS id; throws `ErrorInvalidIdMalformed` when it is not one of ours of this kind. */
export function decodeEwsId(kind: EwsIdKind, id: string | undefined): string {
  const malformed = (): EwsResponseError => new EwsResponseError('ErrorInvalidIdMalformed', 'Id is malformed.');
  if (id === undefined || id.length === 0 || id.length > MAX_ID_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(id)) throw malformed();
  const bytes = Buffer.from(id, 'base64');
  if (bytes.length <= HEADER_BYTES || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== VERSION || bytes[3] !== KIND_BYTE[kind]) {
    throw malformed();
  }
  const messageId = bytes.subarray(HEADER_BYTES).toString('utf8');
  // Ids go back exactly as openum issued them; re-encoding must reproduce the string, which rejects
  // invalid UTF-8 and non-canonical base64 that would otherwise decode to the same message.
  if (encodeEwsId(kind, messageId) !== id) throw malformed();
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(messageId)) throw malformed();
  return messageId;
}

/**
 * The ChangeKey of a message. EWS clients send it back on updates; openum never updates items through
 * EWS, so it only needs to change when the message's visible state does (read or not).
 */
export function changeKeyOf(messageId: string, read: boolean): string {
  return createHash('sha256').update(`${messageId}\u0000${read ? 'read' : 'unread'}`).digest().subarray(0, 12).toString('base64');
}
