// The voice message a Play on Phone call plays: found in the user's own mailbox, decoded to 8 kHz PCM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredMessage } from '../../mailbox/index.js';
import { decodeToWav } from '../../mailbox/index.js';
import { readWavFile } from '../../media/index.js';

/** What Play on Phone needs of the mailbox layer (MailboxService satisfies it). */
export interface PlayOnPhoneMessages {
  /** The message store, for looking a message up by id. */
  store: { getMessage(id: string): Promise<StoredMessage | undefined> };
  /** The absolute path of a message's audio file. */
  audioFilePath(message: Pick<StoredMessage, 'audioPath'>): string;
}

/** The message with this id if it belongs to this mailbox and is not deleted; undefined otherwise. */
export async function findUserMessage(messages: PlayOnPhoneMessages, mailboxAlias: string, messageId: string): Promise<StoredMessage | undefined> {
  const message = await messages.store.getMessage(messageId);
  // Someone else's message is "not found", never "forbidden": ids must not reveal other mailboxes.
  if (!message || message.state === 'deleted' || message.mailbox.toLowerCase() !== mailboxAlias.toLowerCase()) return undefined;
  return message;
}

/**
 * The message's audio as 8 kHz 16-bit samples. G711 messages are stored as that PCM already; Gsm,
 * Mp3 and Wma are decoded by ffmpeg into a private temporary folder first (removed afterwards).
 */
export async function loadMessageAudio(messages: PlayOnPhoneMessages, message: StoredMessage, options: { ffmpegPath?: string } = {}): Promise<Int16Array> {
  const path = messages.audioFilePath(message);
  if (message.codec === 'G711') return readWavFile(path);
  const folder = await mkdtemp(join(tmpdir(), 'openum-pop-'));
  try {
    const decoded = join(folder, 'message.wav');
    await decodeToWav(path, decoded, options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath });
    return await readWavFile(decoded);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
