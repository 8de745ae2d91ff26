import { removeFile } from './durable-file.js';
import type { MailboxPaths } from './mailbox-paths.js';
import type { MessageStore } from './message-store.js';
import type { StoredMessage } from './message-types.js';

/**
 * Removes messages for good: files first, then rows. A crash in between leaves rows whose files are
 * gone (the next purge removes them), never files that no row accounts for. Returns rows removed.
 */
export async function purgeMessages(store: MessageStore, paths: MailboxPaths, messages: readonly StoredMessage[]): Promise<number> {
  for (const message of messages) await removeFile(paths.resolve(message.audioPath));
  return store.removeMessages(messages.map((m) => m.id));
}
