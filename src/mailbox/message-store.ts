import type { CredentialStore } from './credential-store.js';
import type { MailOutbox } from './mail-outbox.js';
import type { Greeting, GreetingKind, ListMessagesOptions, MessageCounts, MessageState, NewMessage, StoredMessage } from './message-types.js';

/** Rows a statement returned (empty for statements without a result) and how many rows it touched. */
export interface StatementResult {
  /** Result rows, column name → value as the driver gives it. */
  rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted. */
  rowCount: number;
}

/**
 * The open transaction of a {@link MessageStore.commitMessage}, for a later layer (the e-mail outbox)
 * that must write in the same transaction as the message row. SQL is written once for both
 * back-ends: `?` placeholders (numbered `$1…` for PostgreSQL by the store), standard types only.
 */
export interface StoreTransaction {
  /** Which back-end runs it, for the rare statement that must differ. */
  readonly dialect: StoreDialect;
  /** Runs one statement inside the transaction. */
  execute(sql: string, params?: readonly unknown[]): Promise<StatementResult>;
}

/** The SQL back-end of a store. */
export type StoreDialect = 'sqlite' | 'postgres';

/** Options of {@link MessageStore.commitMessage}. */
export interface CommitMessageOptions {
  /**
   * Runs after the message row is inserted and before the commit, in the same transaction: if it
   * throws, nothing is committed (the message stays undelivered and is retried).
   */
  alsoInTransaction?: (tx: StoreTransaction) => Promise<void> | void;
}

/**
 * The message store: the source of truth of what each mailbox holds (spec §4: a message is
 * delivered when its row exists). Rows only — audio files are the mailbox service's business.
 */
export interface MessageStore {
  /** Which back-end this is. */
  readonly dialect: StoreDialect;
  /** The e-mail outbox, in the same database (enqueue inside `commitMessage`'s transaction). */
  readonly outbox: MailOutbox;
  /** Passwords and API tokens of mailbox users for the HTTP front ends, in the same database. */
  readonly credentials: CredentialStore;
  /**
   * Inserts a delivered message (state `new`) and runs `alsoInTransaction` in the same transaction.
   * Idempotent by id: a message already stored is returned unchanged and the hook does not run, so
   * a delivery retried after a crash cannot duplicate the message or its e-mail.
   */
  commitMessage(message: NewMessage, options?: CommitMessageOptions): Promise<{ message: StoredMessage; inserted: boolean }>;
  /** The message with this id, in any state. */
  getMessage(id: string): Promise<StoredMessage | undefined>;
  /** A mailbox's messages, newest first. */
  listMessages(mailbox: string, options?: ListMessagesOptions): Promise<StoredMessage[]>;
  /** Soft-deleted messages of every mailbox (what a purge removes), oldest first. */
  listDeletedMessages(limit?: number): Promise<StoredMessage[]>;
  /**
   * Sets the state (`new` = unread, `read`, `deleted` = soft delete). Returns false when there is no
   * such message. A deleted message can be restored to `new` or `read`.
   */
  setMessageState(id: string, state: MessageState): Promise<boolean>;
  /** Marks unread messages read, in one statement; ids that are not `new` are left alone. Returns how many changed. */
  markRead(ids: readonly string[]): Promise<number>;
  /** Removes rows for good (after their files are gone). Returns how many were removed. */
  removeMessages(ids: readonly string[]): Promise<number>;
  /** Counts for the message-waiting indicator (deleted messages do not count). */
  countMessages(mailbox: string): Promise<MessageCounts>;
  /** Bytes the mailbox holds for its quota: messages not deleted, plus greetings and recorded name. */
  mailboxSize(mailbox: string): Promise<number>;
  /** Stores (replaces) a greeting or the recorded name; returns the one it replaced, whose file can go. */
  setGreeting(greeting: Greeting): Promise<Greeting | undefined>;
  /** A greeting or the recorded name. */
  getGreeting(mailbox: string, kind: GreetingKind): Promise<Greeting | undefined>;
  /** Removes a greeting; returns it (its file can go) or undefined if there was none. */
  deleteGreeting(mailbox: string, kind: GreetingKind): Promise<Greeting | undefined>;
  /** Turns the out-of-office flag of a mailbox on or off. */
  setOutOfOffice(mailbox: string, on: boolean): Promise<void>;
  /** Whether the mailbox's out-of-office flag is on (false for a mailbox never set). */
  getOutOfOffice(mailbox: string): Promise<boolean>;
  /** The schema version in the database (the last migration applied). */
  schemaVersion(): Promise<number>;
  /** Closes the database connection(s). Idempotent. */
  close(): Promise<void>;
}
