import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MailDeliveryPermanentError, MailDeliveryTemporaryError } from './errors.js';
import type { MailTransport, OutgoingMail } from './mail-delivery.js';

/** Options of a MaildirTransport. */
export interface MaildirTransportOptions {
  /** `Server.Mail.Directory`, absolute: one Maildir per recipient below it. */
  directory: string;
}

/** The three Maildir folders (https://cr.yp.to/proto/maildir.html). */
export const MAILDIR_FOLDERS = ['tmp', 'new', 'cur'] as const;

/**
 * The tag of a Message-ID inside Maildir file names: `X` + 24 hex digits of its SHA-256. Mail readers
 * keep the unique part of a name when they move a file to cur/ and append `:2,<flags>`, so the tag
 * survives reading and flagging — that is how a redelivery is recognised without opening files.
 */
export function maildirMessageTag(messageId: string): string {
  return `X${createHash('sha256').update(messageId).digest('hex').slice(0, 24)}`;
}

/** Refuses recipient addresses that would not name exactly one folder under the Maildir root. */
function checkFolderName(address: string): boolean {
  // eslint-disable-next-line no-control-regex
  return address !== '' && address !== '.' && address !== '..' && !/[/\\\u0000-\u001f]/.test(address) && address.length <= 254;
}

/**
 * Delivers into a standard Maildir per recipient, `<directory>/<PrimarySmtpAddress>/{tmp,new,cur}`,
 * readable with `mutt -f`. Writes to tmp/, fsyncs, renames into new/ and fsyncs new/, so a crash leaves
 * either no message or a whole one. Idempotent by Message-ID.
 */
export class MaildirTransport implements MailTransport {
  readonly #directory: string;
  readonly #host: string;
  // Deliveries of the same Message-ID run one after the other, so a concurrent duplicate sees the first.
  readonly #inFlight = new Map<string, Promise<void>>();
  #sequence = 0;

  constructor(options: MaildirTransportOptions) {
    this.#directory = options.directory;
    // Maildir: `/` and `:` in the host name are written as \057 and \072.
    this.#host = hostname().replace(/\//g, '\\057').replace(/:/g, '\\072');
  }

  /** The Maildir of one recipient. */
  maildirOf(address: string): string {
    return join(this.#directory, address);
  }

  /** Stores the message in the recipient's new/ unless a file with its Message-ID is in new/ or cur/. */
  async deliver(mail: OutgoingMail): Promise<void> {
    if (!checkFolderName(mail.to)) {
      throw new MailDeliveryPermanentError(`recipient ${JSON.stringify(mail.to)} cannot name a Maildir`, { transport: 'maildir', messageId: mail.messageId });
    }
    const key = `${mail.to}\n${mail.messageId}`;
    const previous = this.#inFlight.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.#deliverOnce(mail));
    this.#inFlight.set(key, current);
    try {
      await current;
    } finally {
      if (this.#inFlight.get(key) === current) this.#inFlight.delete(key);
    }
  }

  /** Nothing to release. */
  close(): void {}

  async #deliverOnce(mail: OutgoingMail): Promise<void> {
    const root = this.maildirOf(mail.to);
    const tag = maildirMessageTag(mail.messageId);
    const fail = (operation: string, error: unknown): MailDeliveryTemporaryError =>
      new MailDeliveryTemporaryError(`${operation} in ${root}: ${error instanceof Error ? error.message : String(error)}`, {
        transport: 'maildir',
        messageId: mail.messageId,
        cause: error,
      });
    try {
      for (const folder of MAILDIR_FOLDERS) await mkdir(join(root, folder), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw fail('create Maildir', error);
    }
    if (await this.#alreadyDelivered(root, tag).catch((error: unknown) => Promise.reject(fail('list Maildir', error)))) return;

    const name = this.#uniqueName(tag);
    const temporary = join(root, 'tmp', name);
    // Maildir messages use LF line ends (qmail's format; mutt and Dovecot expect it).
    const content = Buffer.from(mail.raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    let handle: FileHandle | undefined;
    try {
      handle = await open(temporary, 'wx', 0o600);
      await handle.writeFile(content);
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(temporary, join(root, 'new', name));
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      throw fail('write message', error);
    }
    await syncDirectory(join(root, 'new')).catch((error: unknown) => Promise.reject(fail('fsync new/', error)));
  }

  async #alreadyDelivered(root: string, tag: string): Promise<boolean> {
    const marker = `${tag}.`;
    for (const folder of ['new', 'cur']) {
      const names = await readdir(join(root, folder));
      if (names.some((n) => n.includes(marker))) return true;
    }
    return false;
  }

  /** `<seconds>.M<micros>P<pid>Q<sequence>R<random><tag>.<host>`: unique per delivery, per Maildir rules. */
  #uniqueName(tag: string): string {
    const now = Date.now();
    const seconds = Math.floor(now / 1000);
    const micros = (now % 1000) * 1000;
    this.#sequence += 1;
    return `${seconds}.M${micros}P${process.pid}Q${this.#sequence}R${randomBytes(4).toString('hex')}${tag}.${this.#host}`;
  }
}

/** fsyncs a directory so a rename into it survives a crash (a no-op where directories cannot be opened). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR' || (error as NodeJS.ErrnoException).code === 'EPERM') return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}
