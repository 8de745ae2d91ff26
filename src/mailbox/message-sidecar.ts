import { readFile } from 'node:fs/promises';
import { MailboxFileError } from './errors.js';
import { isErrorCode, writeFileDurably } from './durable-file.js';
import type { StorageCodec } from './message-types.js';

/**
 * The small JSON file written (and fsynced) beside a recording before any audio: after a crash it
 * says which mailbox the audio belongs to and who called, so the recording can still be delivered.
 */
export interface MessageSidecar {
  /** Format version of this file. */
  version: 1;
  /** Message id (names the files). */
  id: string;
  /** Mailbox alias. */
  mailbox: string;
  /** Caller number or SIP URI; null when anonymous. */
  caller: string | null;
  /** Resolved caller name. */
  callerName: string | null;
  /** SIP Call-ID. */
  callId: string | null;
  /** ISO 8601 time the call was answered. */
  receivedAt: string;
  /** Storage codec chosen when the call came in. */
  codec: StorageCodec;
  /** Set (durably) once recovery found the recording cut off by a crash, before repairing it. */
  recovered?: boolean;
}

/** Writes a sidecar atomically and durably. */
export async function writeSidecar(path: string, sidecar: MessageSidecar): Promise<void> {
  await writeFileDurably(path, `${JSON.stringify(sidecar)}\n`);
}

/** Reads a sidecar; undefined when there is none. Throws {@link MailboxFileError} for an unreadable one. */
export async function readSidecar(path: string): Promise<MessageSidecar | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw new MailboxFileError(path, 'read', error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MailboxFileError(path, 'parse', error);
  }
  if (!isSidecar(value)) throw new MailboxFileError(path, 'parse', new Error('not a message sidecar'));
  return value;
}

function isSidecar(value: unknown): value is MessageSidecar {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const nullableString = (x: unknown) => x === null || typeof x === 'string';
  return (
    v.version === 1 && typeof v.id === 'string' && typeof v.mailbox === 'string' && nullableString(v.caller) &&
    nullableString(v.callerName) && nullableString(v.callId) && typeof v.receivedAt === 'string' &&
    (v.codec === 'G711' || v.codec === 'Gsm' || v.codec === 'Wma' || v.codec === 'Mp3')
  );
}
