// Public API of mailbox/: the message store (SQLite or PostgreSQL), the mailbox service that turns
// recordings into delivered messages, storage codecs and their encoding.
export {
  MessageStoreError,
  SchemaVersionError,
  FfmpegUnavailableError,
  AudioEncodingError,
  MailboxFileError,
  MessageNotFoundError,
  MailboxStateError,
  MailboxArgumentError,
} from './errors.js';
export {
  MESSAGE_STATES,
  type StorageCodec,
  type MessageState,
  type NewMessage,
  type StoredMessage,
  type MessageCounts,
  type GreetingKind,
  type Greeting,
  type ListMessagesOptions,
} from './message-types.js';
export type { MessageStore, StoreTransaction, StoreDialect, StatementResult, CommitMessageOptions } from './message-store.js';
export { openMessageStore, SQLITE_FILE_NAME, type OpenMessageStoreOptions } from './open-message-store.js';
export { SqlMessageStore, isMessageId } from './sql-message-store.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, MIGRATIONS_TABLE, type SchemaMigration } from './schema-migrations.js';
export { STORAGE_FORMATS, storageCodecsInUse, type StorageFormat } from './storage-format.js';
export { checkFfmpeg, encodeAudio, decodeToWav, DEFAULT_FFMPEG_PATH, type FfmpegOptions } from './ffmpeg.js';
export { MailboxPaths, mailboxFolderName, SPOOL_FOLDER, MESSAGES_FOLDER } from './mailbox-paths.js';
export {
  RECORDING_SAMPLE_RATE,
  type MessageRecording,
  type MessageRecordingFiles,
  type MessageRecordingResult,
} from './recording-port.js';
export { PendingMessage, MIN_VOICED_MS, type CommittedMessage, type PendingMessageState } from './pending-message.js';
export {
  MailboxService,
  MIN_RECOVERED_MS,
  type MailboxServiceOptions,
  type BeginMessageOptions,
  type RecoveryReport,
} from './mailbox-service.js';
export {
  SqlMailOutbox,
  type MailOutbox,
  type OutboxEntry,
  type NewOutboxEntry,
  type OutboxKind,
  type OutboxState,
  type OutboxStats,
} from './mail-outbox.js';
export {
  SqlCredentialStore,
  type CredentialStore,
  type CredentialStoreOptions,
  type AccessTokenInfo,
  type CreatedAccessToken,
} from './credential-store.js';
export { ACCESS_TOKEN_PREFIX, isAccessTokenShaped } from './access-token.js';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, DEFAULT_SCRYPT_PARAMETERS, type ScryptParameters } from './password-hash.js';
export { purgeMessages } from './purge-messages.js';
export { WorkQueue, type WorkQueueStats } from './work-queue.js';
