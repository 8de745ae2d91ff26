import { OpenumError } from '../errors.js';

/** The message store cannot be opened, migrated or queried (database unreachable, disk full). */
export class MessageStoreError extends OpenumError {
  constructor(message: string, cause?: unknown) {
    super('OPENUM_MAILBOX_STORE', message, { cause, sipStatus: 500, httpStatus: 503 });
  }
}

/** The database schema is newer than this openum knows (a newer node migrated it). */
export class SchemaVersionError extends OpenumError {
  /** Highest migration found in the database. */
  readonly got: number;
  /** Highest migration this build knows. */
  readonly need: number;

  constructor(got: number, need: number) {
    super('OPENUM_MAILBOX_SCHEMA_TOO_NEW', `the message store schema is at version ${got}; this openum knows up to ${need}: upgrade openum`);
    this.got = got;
    this.need = need;
  }
}

/** ffmpeg (Debian package `ffmpeg`) is needed for a configured storage codec and is missing or lacks an encoder. */
export class FfmpegUnavailableError extends OpenumError {
  /** The storage codecs that need it. */
  readonly codecs: readonly string[];
  /** Encoders ffmpeg lacks (all of them when ffmpeg itself is missing). */
  readonly missingEncoders: readonly string[];

  constructor(codecs: readonly string[], missingEncoders: readonly string[], detail: string, cause?: unknown) {
    super(
      'OPENUM_MAILBOX_FFMPEG_UNAVAILABLE',
      `storage codec ${codecs.join(', ')} needs ffmpeg with encoder(s) ${missingEncoders.join(', ')}: ${detail} (install the Debian package ffmpeg: apt-get install ffmpeg)`,
      { cause },
    );
    this.codecs = codecs;
    this.missingEncoders = missingEncoders;
  }
}

/** Encoding (or decoding) one message with ffmpeg failed; the lossless master is kept for a retry. */
export class AudioEncodingError extends OpenumError {
  /** The input file. */
  readonly path: string;

  constructor(path: string, message: string, cause?: unknown) {
    super('OPENUM_MAILBOX_ENCODING_FAILED', `${path}: ${message}`, { cause });
    this.path = path;
  }
}

/** A mailbox file operation failed (spool, sidecar, message file). */
export class MailboxFileError extends OpenumError {
  /** The file concerned. */
  readonly path: string;

  constructor(path: string, operation: string, cause: unknown) {
    super('OPENUM_MAILBOX_FILE_IO', `${operation} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, sipStatus: 500 });
    this.path = path;
  }
}

/** No message with this id (in this mailbox). */
export class MessageNotFoundError extends OpenumError {
  constructor(id: string, mailbox?: string) {
    super('OPENUM_MAILBOX_MESSAGE_NOT_FOUND', `no message ${id}${mailbox === undefined ? '' : ` in mailbox ${mailbox}`}`, { httpStatus: 404 });
  }
}

/** A mailbox operation used in a state that does not allow it (committing twice, after close). */
export class MailboxStateError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_MAILBOX_INVALID_STATE', message);
  }
}

/** A mailbox argument outside its allowed range (unknown mailbox alias, bad id, bad option). */
export class MailboxArgumentError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_MAILBOX_BAD_ARGUMENT', message, { httpStatus: 400 });
  }
}
