import { randomBytes } from 'node:crypto';
import { accessTokenHash, generateAccessToken, isAccessTokenShaped } from './access-token.js';
import { MailboxArgumentError } from './errors.js';
import { parseTime } from './message-row.js';
import { checkNewPassword, DEFAULT_SCRYPT_PARAMETERS, hashPassword, verifyPasswordHash } from './password-hash.js';
import type { ScryptParameters } from './password-hash.js';
import type { SqlRunner } from './sql-runner.js';

/** An API token as listed: never the token itself, which exists only in the creator's hands. */
export interface AccessTokenInfo {
  /** Public id, for `openum token revoke`. */
  id: string;
  /** The mailbox alias (lower case). */
  mailbox: string;
  label: string | null;
  createdAt: Date;
  /** Last successful use, to the minute; null when never used. */
  lastUsedAt: Date | null;
}

/** A token just created: the secret, shown once, and its record. */
export interface CreatedAccessToken {
  /** `openum_<base64url>`: the bearer credential. Not stored; cannot be shown again. */
  token: string;
  info: AccessTokenInfo;
}

/**
 * Credentials of mailbox users for the HTTP front ends (spec §8.1: Basic against the mailbox's
 * credentials, or a bearer token issued by openum), in the message store's database so that every node
 * of a cluster accepts the same ones. Aliases are case-insensitive.
 */
export interface CredentialStore {
  /** Sets or replaces the mailbox's password (scrypt, salted). Throws MailboxArgumentError when too short or long. */
  setPassword(mailbox: string, password: string): Promise<void>;
  /** Whether the mailbox has a password set. */
  hasPassword(mailbox: string): Promise<boolean>;
  /** Removes the mailbox's password; false when it had none. */
  removePassword(mailbox: string): Promise<boolean>;
  /** Whether `password` is the mailbox's password (false when none is set). Takes as long either way. */
  verifyPassword(mailbox: string, password: string): Promise<boolean>;
  /** Issues a new API token for the mailbox. */
  createToken(mailbox: string, options?: { label?: string }): Promise<CreatedAccessToken>;
  /** The mailbox's tokens, oldest first. */
  listTokens(mailbox: string): Promise<AccessTokenInfo[]>;
  /** Revokes one of the mailbox's tokens by id; false when the mailbox has no such token. */
  revokeToken(mailbox: string, id: string): Promise<boolean>;
  /** The mailbox alias (lower case) a token belongs to; undefined for an unknown, revoked or malformed token. */
  verifyToken(token: string): Promise<string | undefined>;
  /** Writes the last-used times noted since the last flush (the store does this before it closes). */
  flush(): Promise<void>;
}

/** Options of {@link SqlCredentialStore}. */
export interface CredentialStoreOptions {
  /** Clock for created/last-used times. */
  now?: () => Date;
  /** scrypt cost of new password hashes (tests lower it); stored hashes keep their own. */
  scrypt?: ScryptParameters;
}

/** Last-used times are written at most this often per credential, so that verifying is rarely a write. */
const LAST_USED_GRANULARITY_MS = 60_000;
/** Noted last-used times are written together after this long: one commit (one fsync) for a burst of logons. */
const LAST_USED_FLUSH_MS = 5_000;
/** Credentials whose last write time is remembered; beyond it the oldest are forgotten (and may be written again). */
const MAX_REMEMBERED = 100_000;
const MAX_LABEL_LENGTH = 200;

/** {@link CredentialStore} on the store's SQL runner (SQLite or PostgreSQL). */
export class SqlCredentialStore implements CredentialStore {
  private readonly now: () => Date;
  private readonly scrypt: ScryptParameters;
  private dummyHash: Promise<string> | undefined;
  /** Credential id → when its last-used time was last noted (ms). */
  private readonly noted = new Map<string, number>();
  private readonly pending = new Map<string, Date>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly runner: SqlRunner, options: CredentialStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT_PARAMETERS;
  }

  async setPassword(mailbox: string, password: string): Promise<void> {
    checkNewPassword(password);
    const key = mailboxKey(mailbox);
    const hash = await hashPassword(password, this.scrypt);
    await this.runner.query(
      `INSERT INTO credentials (id, mailbox, kind, hash, label, created_at, last_used_at) VALUES (?, ?, 'password', ?, NULL, ?, NULL)
       ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at, last_used_at = NULL`,
      [passwordId(key), key, hash, this.now()],
    );
  }

  async hasPassword(mailbox: string): Promise<boolean> {
    const { rows } = await this.runner.query("SELECT id FROM credentials WHERE id = ? AND kind = 'password'", [passwordId(mailboxKey(mailbox))]);
    return rows.length > 0;
  }

  async removePassword(mailbox: string): Promise<boolean> {
    const { rowCount } = await this.runner.query("DELETE FROM credentials WHERE id = ? AND kind = 'password'", [passwordId(mailboxKey(mailbox))]);
    return rowCount > 0;
  }

  async verifyPassword(mailbox: string, password: string): Promise<boolean> {
    const id = passwordId(mailboxKey(mailbox));
    const { rows } = await this.runner.query("SELECT hash FROM credentials WHERE id = ? AND kind = 'password'", [id]);
    const stored = rows[0]?.hash;
    if (typeof stored !== 'string') {
      // Hash anyway: a quick "no" would tell an attacker which mailboxes have a password.
      this.dummyHash ??= hashPassword('openum-no-password-set', this.scrypt);
      await verifyPasswordHash(password, await this.dummyHash);
      return false;
    }
    const ok = await verifyPasswordHash(password, stored);
    if (ok) await this.touch(id);
    return ok;
  }

  async createToken(mailbox: string, options: { label?: string } = {}): Promise<CreatedAccessToken> {
    const label = options.label?.trim() || null;
    if (label !== null && label.length > MAX_LABEL_LENGTH) throw new MailboxArgumentError(`the token label is too long: got ${label.length} characters, at most ${MAX_LABEL_LENGTH}`);
    const info: AccessTokenInfo = { id: randomBytes(9).toString('base64url'), mailbox: mailboxKey(mailbox), label, createdAt: this.now(), lastUsedAt: null };
    const token = generateAccessToken();
    await this.runner.query(
      "INSERT INTO credentials (id, mailbox, kind, hash, label, created_at, last_used_at) VALUES (?, ?, 'token', ?, ?, ?, NULL)",
      [info.id, info.mailbox, accessTokenHash(token), label, info.createdAt],
    );
    return { token, info };
  }

  async listTokens(mailbox: string): Promise<AccessTokenInfo[]> {
    await this.flush();
    const { rows } = await this.runner.query("SELECT * FROM credentials WHERE mailbox = ? AND kind = 'token' ORDER BY created_at, id", [mailboxKey(mailbox)]);
    return rows.map(parseTokenRow);
  }

  async revokeToken(mailbox: string, id: string): Promise<boolean> {
    const { rowCount } = await this.runner.query("DELETE FROM credentials WHERE id = ? AND mailbox = ? AND kind = 'token'", [id, mailboxKey(mailbox)]);
    return rowCount > 0;
  }

  async verifyToken(token: string): Promise<string | undefined> {
    if (!isAccessTokenShaped(token)) return undefined;
    const { rows } = await this.runner.query("SELECT id, mailbox FROM credentials WHERE hash = ? AND kind = 'token'", [accessTokenHash(token)]);
    const row = rows[0];
    if (row === undefined) return undefined;
    await this.touch(String(row.id));
    return String(row.mailbox);
  }

  /**
   * Notes a use. The write is deferred and batched: a token checked on every HTTP request must not cost
   * a synchronous, fsynced SQLite commit each time (last-used is informational; a crash loses at most
   * the last few seconds of it).
   */
  private async touch(id: string): Promise<void> {
    const time = this.now();
    const last = this.noted.get(id);
    if (last !== undefined && time.getTime() - last < LAST_USED_GRANULARITY_MS) return;
    this.noted.delete(id);
    this.noted.set(id, time.getTime());
    if (this.noted.size > MAX_REMEMBERED) this.noted.delete(this.noted.keys().next().value as string);
    this.pending.set(id, time);
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => void this.flush().catch(() => undefined), LAST_USED_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    await this.runner.transaction(async (tx) => {
      for (const [id, time] of batch) {
        await tx.execute('UPDATE credentials SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', [
          time,
          id,
          new Date(time.getTime() - LAST_USED_GRANULARITY_MS),
        ]);
      }
    });
  }

}

function mailboxKey(mailbox: string): string {
  const key = mailbox.trim().toLowerCase();
  if (key === '') throw new MailboxArgumentError('the mailbox alias is empty');
  return key;
}

// A password row's id is derived from its mailbox, so "set" is one upsert; token ids never contain ':'.
function passwordId(key: string): string {
  return `password:${key}`;
}

function parseTokenRow(row: Record<string, unknown>): AccessTokenInfo {
  return {
    id: String(row.id),
    mailbox: String(row.mailbox),
    label: row.label === null || row.label === undefined ? null : String(row.label),
    createdAt: parseTime(row.created_at, 'created_at'),
    lastUsedAt: row.last_used_at === null || row.last_used_at === undefined ? null : parseTime(row.last_used_at, 'last_used_at'),
  };
}
