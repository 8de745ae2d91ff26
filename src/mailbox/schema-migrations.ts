import type { StoreDialect } from './message-store.js';

/** One schema change, as SQL for each back-end. Applied once, in version order, at open. */
export interface SchemaMigration {
  /** 1, 2, 3…; never reused or renumbered once released. */
  version: number;
  /** What it does, recorded beside the version. */
  name: string;
  /** Statements for each back-end (run in one transaction with the version row). */
  statements: Record<StoreDialect, readonly string[]>;
}

/** Table recording which migrations a database has had. */
export const MIGRATIONS_TABLE = 'openum_schema_migrations';

// SQLite keeps times as ISO 8601 UTC text (sorts as time: toISOString has a fixed width) and booleans
// as 0/1; PostgreSQL gets its native types. Row conversion copes with both (message-row.ts).
const CODECS = "('G711', 'Gsm', 'Wma', 'Mp3')";
const STATES = "('new', 'read', 'deleted')";
const KINDS = "('personal', 'oof', 'name')";
const OUTBOX_KINDS = "('voice-mail', 'missed-call')";
const OUTBOX_STATES = "('pending', 'sent', 'failed')";
const CREDENTIAL_KINDS = "('password', 'token')";

/** Every migration, oldest first. */
export const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'messages, greetings, mailbox settings',
    statements: {
      sqlite: [
        `CREATE TABLE messages (
          id TEXT PRIMARY KEY,
          mailbox TEXT NOT NULL,
          caller TEXT,
          caller_name TEXT,
          received_at TEXT NOT NULL,
          duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
          codec TEXT NOT NULL CHECK (codec IN ${CODECS}),
          audio_path TEXT NOT NULL,
          size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
          state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ${STATES}),
          urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
          recovered INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1)),
          call_id TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )`,
        'CREATE INDEX messages_by_mailbox ON messages (mailbox, received_at DESC)',
        "CREATE INDEX messages_deleted ON messages (state) WHERE state = 'deleted'",
        `CREATE TABLE greetings (
          mailbox TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ${KINDS}),
          audio_path TEXT NOT NULL,
          duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
          size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
          updated_at TEXT NOT NULL,
          PRIMARY KEY (mailbox, kind)
        )`,
        `CREATE TABLE mailbox_settings (
          mailbox TEXT PRIMARY KEY,
          out_of_office INTEGER NOT NULL DEFAULT 0 CHECK (out_of_office IN (0, 1)),
          updated_at TEXT NOT NULL
        )`,
      ],
      postgres: [
        `CREATE TABLE messages (
          id uuid PRIMARY KEY,
          mailbox text NOT NULL,
          caller text,
          caller_name text,
          received_at timestamptz NOT NULL,
          duration_ms integer NOT NULL CHECK (duration_ms >= 0),
          codec text NOT NULL CHECK (codec IN ${CODECS}),
          audio_path text NOT NULL,
          size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
          state text NOT NULL DEFAULT 'new' CHECK (state IN ${STATES}),
          urgent boolean NOT NULL DEFAULT false,
          recovered boolean NOT NULL DEFAULT false,
          call_id text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        )`,
        'CREATE INDEX messages_by_mailbox ON messages (mailbox, received_at DESC)',
        "CREATE INDEX messages_deleted ON messages (state) WHERE state = 'deleted'",
        `CREATE TABLE greetings (
          mailbox text NOT NULL,
          kind text NOT NULL CHECK (kind IN ${KINDS}),
          audio_path text NOT NULL,
          duration_ms integer NOT NULL CHECK (duration_ms >= 0),
          size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (mailbox, kind)
        )`,
        `CREATE TABLE mailbox_settings (
          mailbox text PRIMARY KEY,
          out_of_office boolean NOT NULL DEFAULT false,
          updated_at timestamptz NOT NULL
        )`,
      ],
    },
  },
  {
    version: 2,
    name: 'mail outbox',
    statements: {
      sqlite: [
        `CREATE TABLE mail_outbox (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ${OUTBOX_KINDS}),
          mailbox TEXT NOT NULL,
          payload TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ${OUTBOX_STATES}),
          attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          next_attempt_at TEXT NOT NULL,
          lease_until TEXT,
          last_error TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          sent_at TEXT
        )`,
        "CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'pending'",
      ],
      postgres: [
        `CREATE TABLE mail_outbox (
          id text PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ${OUTBOX_KINDS}),
          mailbox text NOT NULL,
          payload text NOT NULL,
          state text NOT NULL DEFAULT 'pending' CHECK (state IN ${OUTBOX_STATES}),
          attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          next_attempt_at timestamptz NOT NULL,
          lease_until timestamptz,
          last_error text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          sent_at timestamptz
        )`,
        "CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'pending'",
      ],
    },
  },
  {
    version: 3,
    name: 'credentials (mailbox passwords and API tokens)',
    // `mailbox` holds the alias in lower case (aliases are case-insensitive); `hash` is a self-describing
    // scrypt string for a password and the hex SHA-256 of the token for a token. One password per mailbox.
    statements: {
      sqlite: [
        `CREATE TABLE credentials (
          id TEXT PRIMARY KEY,
          mailbox TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ${CREDENTIAL_KINDS}),
          hash TEXT NOT NULL,
          label TEXT,
          created_at TEXT NOT NULL,
          last_used_at TEXT
        )`,
        "CREATE UNIQUE INDEX credentials_password ON credentials (mailbox) WHERE kind = 'password'",
        "CREATE UNIQUE INDEX credentials_token_hash ON credentials (hash) WHERE kind = 'token'",
        'CREATE INDEX credentials_by_mailbox ON credentials (mailbox, kind)',
      ],
      postgres: [
        `CREATE TABLE credentials (
          id text PRIMARY KEY,
          mailbox text NOT NULL,
          kind text NOT NULL CHECK (kind IN ${CREDENTIAL_KINDS}),
          hash text NOT NULL,
          label text,
          created_at timestamptz NOT NULL,
          last_used_at timestamptz
        )`,
        "CREATE UNIQUE INDEX credentials_password ON credentials (mailbox) WHERE kind = 'password'",
        "CREATE UNIQUE INDEX credentials_token_hash ON credentials (hash) WHERE kind = 'token'",
        'CREATE INDEX credentials_by_mailbox ON credentials (mailbox, kind)',
      ],
    },
  },
];

/** The version a fully migrated database is at. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
