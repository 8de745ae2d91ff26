import { MessageStoreError } from './errors.js';
import type { Greeting, GreetingKind, MessageState, StorageCodec, StoredMessage } from './message-types.js';

// Wire conversion between store rows and message objects, for both back-ends: SQLite gives ISO text
// and 0/1, PostgreSQL gives Date, boolean and (for bigint) decimal strings.

/** The columns of `messages`, in the order `messageToParams` fills them. */
export const MESSAGE_COLUMNS = [
  'id', 'mailbox', 'caller', 'caller_name', 'received_at', 'duration_ms', 'codec', 'audio_path', 'size_bytes',
  'state', 'urgent', 'recovered', 'call_id', 'created_at', 'updated_at',
] as const;

/** Parameters for an INSERT of {@link MESSAGE_COLUMNS} (the runner converts Date and boolean for SQLite). */
export function messageToParams(m: StoredMessage): unknown[] {
  return [
    m.id, m.mailbox, m.caller, m.callerName, m.receivedAt, m.durationMs, m.codec, m.audioPath, m.sizeBytes,
    m.state, m.urgent, m.recovered, m.callId, m.createdAt, m.updatedAt,
  ];
}

/** A `messages` row as a message; throws {@link MessageStoreError} for a row no migration could produce. */
export function parseMessageRow(row: Record<string, unknown>): StoredMessage {
  return {
    id: String(row.id),
    mailbox: String(row.mailbox),
    caller: nullableString(row.caller),
    callerName: nullableString(row.caller_name),
    receivedAt: parseTime(row.received_at, 'received_at'),
    durationMs: parseInteger(row.duration_ms, 'duration_ms'),
    codec: String(row.codec) as StorageCodec,
    audioPath: String(row.audio_path),
    sizeBytes: parseInteger(row.size_bytes, 'size_bytes'),
    state: String(row.state) as MessageState,
    urgent: parseBoolean(row.urgent),
    recovered: parseBoolean(row.recovered),
    callId: nullableString(row.call_id),
    createdAt: parseTime(row.created_at, 'created_at'),
    updatedAt: parseTime(row.updated_at, 'updated_at'),
  };
}

/** A `greetings` row as a greeting. */
export function parseGreetingRow(row: Record<string, unknown>): Greeting {
  return {
    mailbox: String(row.mailbox),
    kind: String(row.kind) as GreetingKind,
    audioPath: String(row.audio_path),
    durationMs: parseInteger(row.duration_ms, 'duration_ms'),
    sizeBytes: parseInteger(row.size_bytes, 'size_bytes'),
    updatedAt: parseTime(row.updated_at, 'updated_at'),
  };
}

/** A count or sum as a number (PostgreSQL returns bigint aggregates as strings, SUM of nothing as null). */
export function parseInteger(value: unknown, column: string): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new MessageStoreError(`column ${column}: not a number (${String(value)})`);
  return n;
}

/** A 0/1 or boolean column. */
export function parseBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === '1' || value === 't';
}

/** A time column (ISO text from SQLite, Date from PostgreSQL). */
export function parseTime(value: unknown, column: string): Date {
  const time = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(time.getTime())) throw new MessageStoreError(`column ${column}: not a time (${String(value)})`);
  return time;
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
