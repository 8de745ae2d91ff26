import { SqlCredentialStore } from './credential-store.js';
import type { CredentialStore } from './credential-store.js';
import { MailboxArgumentError } from './errors.js';
import { SqlMailOutbox } from './mail-outbox.js';
import type { MailOutbox } from './mail-outbox.js';
import type { CommitMessageOptions, MessageStore, StoreDialect } from './message-store.js';
import { MESSAGE_COLUMNS, messageToParams, parseGreetingRow, parseInteger, parseMessageRow } from './message-row.js';
import type { Greeting, GreetingKind, ListMessagesOptions, MessageCounts, MessageState, NewMessage, StoredMessage } from './message-types.js';
import { MIGRATIONS_TABLE } from './schema-migrations.js';
import type { SqlRunner } from './sql-runner.js';

const INSERT_MESSAGE = `INSERT INTO messages (${MESSAGE_COLUMNS.join(', ')}) VALUES (${MESSAGE_COLUMNS.map(() => '?').join(', ')})`;
// Newest first; rows received in the same millisecond keep a stable order.
const NEWEST_FIRST = 'ORDER BY received_at DESC, created_at DESC, id';

/**
 * The {@link MessageStore} over SQL common to SQLite and PostgreSQL; the {@link SqlRunner} hides the
 * drivers. Open one with `openMessageStore`, which also migrates the schema.
 */
export class SqlMessageStore implements MessageStore {
  readonly dialect: StoreDialect;
  readonly outbox: MailOutbox;
  readonly credentials: CredentialStore;
  private readonly runner: SqlRunner;
  private readonly now: () => Date;

  constructor(runner: SqlRunner, now: () => Date = () => new Date()) {
    this.runner = runner;
    this.dialect = runner.dialect;
    this.now = now;
    this.outbox = new SqlMailOutbox(runner, now);
    this.credentials = new SqlCredentialStore(runner, { now });
  }

  async commitMessage(message: NewMessage, options: CommitMessageOptions = {}): Promise<{ message: StoredMessage; inserted: boolean }> {
    if (!UUID.test(message.id)) throw new MailboxArgumentError(`message id ${JSON.stringify(message.id)} is not a UUID`);
    message = { ...message, id: message.id.toLowerCase() };
    return this.runner.transaction(async (tx) => {
      // FOR UPDATE is not needed: the primary key makes a concurrent second insert fail, not duplicate.
      const existing = await tx.execute('SELECT * FROM messages WHERE id = ?', [message.id]);
      const row = existing.rows[0];
      if (row) return { message: parseMessageRow(row), inserted: false };
      const time = this.now();
      const stored: StoredMessage = { ...message, state: 'new', createdAt: time, updatedAt: time };
      await tx.execute(INSERT_MESSAGE, messageToParams(stored));
      if (options.alsoInTransaction) await options.alsoInTransaction(tx);
      return { message: stored, inserted: true };
    });
  }

  async getMessage(id: string): Promise<StoredMessage | undefined> {
    // A string that is not a UUID cannot name a message (and PostgreSQL would refuse to compare it).
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.runner.query('SELECT * FROM messages WHERE id = ?', [id.toLowerCase()]);
    return rows[0] ? parseMessageRow(rows[0]) : undefined;
  }

  async listMessages(mailbox: string, options: ListMessagesOptions = {}): Promise<StoredMessage[]> {
    const params: unknown[] = [mailbox];
    let where = 'mailbox = ?';
    if (options.state === undefined) {
      where += " AND state <> 'deleted'";
    } else if (options.state !== 'all') {
      where += ' AND state = ?';
      params.push(options.state);
    }
    const limit = limitClause(options.limit, params);
    const { rows } = await this.runner.query(`SELECT * FROM messages WHERE ${where} ${NEWEST_FIRST}${limit}`, params);
    return rows.map(parseMessageRow);
  }

  async listDeletedMessages(limit?: number): Promise<StoredMessage[]> {
    const params: unknown[] = [];
    const clause = limitClause(limit, params);
    const { rows } = await this.runner.query(`SELECT * FROM messages WHERE state = 'deleted' ORDER BY updated_at, id${clause}`, params);
    return rows.map(parseMessageRow);
  }

  async setMessageState(id: string, state: MessageState): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const { rowCount } = await this.runner.query('UPDATE messages SET state = ?, updated_at = ? WHERE id = ?', [state, this.now(), id.toLowerCase()]);
    return rowCount > 0;
  }

  async markRead(ids: readonly string[]): Promise<number> {
    const valid = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    if (valid.length === 0) return 0;
    const { rowCount } = await this.runner.query(
      `UPDATE messages SET state = 'read', updated_at = ? WHERE state = 'new' AND id IN (${valid.map(() => '?').join(', ')})`,
      [this.now(), ...valid],
    );
    return rowCount;
  }

  async removeMessages(ids: readonly string[]): Promise<number> {
    const valid = ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase());
    if (valid.length === 0) return 0;
    const { rowCount } = await this.runner.query(`DELETE FROM messages WHERE id IN (${valid.map(() => '?').join(', ')})`, valid);
    return rowCount;
  }

  async countMessages(mailbox: string): Promise<MessageCounts> {
    const { rows } = await this.runner.query(
      `SELECT
         SUM(CASE WHEN state = 'new' THEN 1 ELSE 0 END) AS new_messages,
         SUM(CASE WHEN state = 'read' THEN 1 ELSE 0 END) AS old_messages,
         SUM(CASE WHEN state = 'new' AND urgent = ? THEN 1 ELSE 0 END) AS urgent_new,
         SUM(CASE WHEN state = 'read' AND urgent = ? THEN 1 ELSE 0 END) AS urgent_old
       FROM messages WHERE mailbox = ? AND state <> 'deleted'`,
      [true, true, mailbox],
    );
    const row = rows[0] ?? {};
    return {
      newMessages: parseInteger(row.new_messages, 'new_messages'),
      oldMessages: parseInteger(row.old_messages, 'old_messages'),
      urgentNew: parseInteger(row.urgent_new, 'urgent_new'),
      urgentOld: parseInteger(row.urgent_old, 'urgent_old'),
    };
  }

  async mailboxSize(mailbox: string): Promise<number> {
    const { rows } = await this.runner.query(
      `SELECT
         (SELECT COALESCE(SUM(size_bytes), 0) FROM messages WHERE mailbox = ? AND state <> 'deleted') AS messages,
         (SELECT COALESCE(SUM(size_bytes), 0) FROM greetings WHERE mailbox = ?) AS greetings`,
      [mailbox, mailbox],
    );
    const row = rows[0] ?? {};
    return parseInteger(row.messages, 'messages') + parseInteger(row.greetings, 'greetings');
  }

  async setGreeting(greeting: Greeting): Promise<Greeting | undefined> {
    return this.runner.transaction(async (tx) => {
      const { rows } = await tx.execute('SELECT * FROM greetings WHERE mailbox = ? AND kind = ?', [greeting.mailbox, greeting.kind]);
      const previous = rows[0] ? parseGreetingRow(rows[0]) : undefined;
      await tx.execute('DELETE FROM greetings WHERE mailbox = ? AND kind = ?', [greeting.mailbox, greeting.kind]);
      await tx.execute('INSERT INTO greetings (mailbox, kind, audio_path, duration_ms, size_bytes, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        greeting.mailbox, greeting.kind, greeting.audioPath, greeting.durationMs, greeting.sizeBytes, greeting.updatedAt,
      ]);
      return previous;
    });
  }

  async getGreeting(mailbox: string, kind: GreetingKind): Promise<Greeting | undefined> {
    const { rows } = await this.runner.query('SELECT * FROM greetings WHERE mailbox = ? AND kind = ?', [mailbox, kind]);
    return rows[0] ? parseGreetingRow(rows[0]) : undefined;
  }

  async deleteGreeting(mailbox: string, kind: GreetingKind): Promise<Greeting | undefined> {
    return this.runner.transaction(async (tx) => {
      const { rows } = await tx.execute('SELECT * FROM greetings WHERE mailbox = ? AND kind = ?', [mailbox, kind]);
      if (!rows[0]) return undefined;
      await tx.execute('DELETE FROM greetings WHERE mailbox = ? AND kind = ?', [mailbox, kind]);
      return parseGreetingRow(rows[0]);
    });
  }

  async setOutOfOffice(mailbox: string, on: boolean): Promise<void> {
    // INSERT … ON CONFLICT is spelled the same in SQLite (≥ 3.24) and PostgreSQL.
    await this.runner.query(
      'INSERT INTO mailbox_settings (mailbox, out_of_office, updated_at) VALUES (?, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET out_of_office = excluded.out_of_office, updated_at = excluded.updated_at',
      [mailbox, on, this.now()],
    );
  }

  async getOutOfOffice(mailbox: string): Promise<boolean> {
    const { rows } = await this.runner.query('SELECT out_of_office FROM mailbox_settings WHERE mailbox = ?', [mailbox]);
    const value = rows[0]?.out_of_office;
    return value === true || value === 1;
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.runner.query(`SELECT MAX(version) AS version FROM ${MIGRATIONS_TABLE}`);
    return parseInteger(rows[0]?.version, 'version');
  }

  async close(): Promise<void> {
    await this.credentials.flush().catch(() => undefined);
    return this.runner.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `true` only for a UUID in its canonical text form (message ids). */
export function isMessageId(value: string): boolean {
  return UUID.test(value);
}

function limitClause(limit: number | undefined, params: unknown[]): string {
  if (limit === undefined) return '';
  params.push(Math.max(0, Math.floor(limit)));
  return ' LIMIT ?';
}
