import { join } from 'node:path';

/** Folder of recordings in progress and lossless masters awaiting encoding. */
export const SPOOL_FOLDER = 'spool';
/** Folder of delivered message audio. */
export const MESSAGES_FOLDER = 'messages';

/**
 * A mailbox alias as one safe folder name: percent-encoded (an alias may hold `/` or `%`), and `.`/`..`
 * spelled out so that no alias can climb out of its parent folder.
 */
export function mailboxFolderName(alias: string): string {
  const encoded = encodeURIComponent(alias);
  return /^\.+$/.test(encoded) ? encoded.replace(/\./g, '%2E') : encoded;
}

/** Where the mailbox layer keeps files under `Server.DataDirectory`. */
export class MailboxPaths {
  /** The data directory (absolute). */
  readonly dataDirectory: string;

  constructor(dataDirectory: string) {
    this.dataDirectory = dataDirectory;
  }

  /** `<DataDirectory>/spool`. */
  get spoolRoot(): string {
    return join(this.dataDirectory, SPOOL_FOLDER);
  }

  /** `<DataDirectory>/messages`. */
  get messagesRoot(): string {
    return join(this.dataDirectory, MESSAGES_FOLDER);
  }

  /** `<DataDirectory>/spool/<mailbox>`. */
  spoolFolder(mailbox: string): string {
    return join(this.spoolRoot, mailboxFolderName(mailbox));
  }

  /** The lossless master `<DataDirectory>/spool/<mailbox>/<id>.wav` (`.partial` while recording). */
  masterPath(mailbox: string, id: string): string {
    return join(this.spoolFolder(mailbox), `${id}.wav`);
  }

  /** The sidecar `<DataDirectory>/spool/<mailbox>/<id>.json`. */
  sidecarPath(mailbox: string, id: string): string {
    return join(this.spoolFolder(mailbox), `${id}.json`);
  }

  /** `<DataDirectory>/messages/<mailbox>`. */
  messageFolder(mailbox: string): string {
    return join(this.messagesRoot, mailboxFolderName(mailbox));
  }

  /** The stored audio of a message relative to the data directory, `/`-separated (what the store keeps). */
  messageAudioPath(mailbox: string, id: string, extension: string): string {
    return `${MESSAGES_FOLDER}/${mailboxFolderName(mailbox)}/${id}.${extension}`;
  }

  /** An absolute path for a store-relative one. */
  resolve(relativePath: string): string {
    return join(this.dataDirectory, ...relativePath.split('/').filter((part) => part !== '' && part !== '..'));
  }
}

