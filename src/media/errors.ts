import { OpenumError } from '../errors.js';

/** SDP text that cannot be read as a usable session description (answered with 400). */
export class SdpInvalidError extends OpenumError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('OPENUM_MEDIA_SDP_INVALID', message, { ...options, sipStatus: 400 });
  }
}

/** An offer or answer with no audio codec openum supports (RFC 3264 §6: answered with 488). */
export class NoCommonCodecError extends OpenumError {
  /** Codecs the peer offered, as `name/rate` or payload type numbers, for the log. */
  readonly offered: readonly string[];

  constructor(offered: readonly string[]) {
    super('OPENUM_MEDIA_NO_COMMON_CODEC', `no common audio codec (offered: ${offered.join(', ') || 'none'})`, {
      sipStatus: 488,
    });
    this.offered = offered;
  }
}

/** A packet (RTP, RTCP, telephone-event) too short or malformed to parse. */
export class PacketParseError extends OpenumError {
  /** Bytes available. */
  readonly got: number;
  /** Bytes needed. */
  readonly need: number;

  constructor(what: string, got: number, need: number) {
    super('OPENUM_MEDIA_PACKET_INVALID', `${what}: got ${got} bytes, need ${need}`);
    this.got = got;
    this.need = need;
  }
}

/** Every port of the configured RTP range is in use (a new call cannot get media: 503). */
export class PortsExhaustedError extends OpenumError {
  constructor(min: number, max: number) {
    super('OPENUM_MEDIA_PORTS_EXHAUSTED', `no free RTP port in ${min}-${max}`, { sipStatus: 503 });
  }
}

/** A media argument outside its allowed range (bad port range, frame size, digit). */
export class MediaArgumentError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_MEDIA_BAD_ARGUMENT', message);
  }
}

/** A media object used in a state that does not allow the call (e.g. after `close()`). */
export class MediaStateError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_MEDIA_INVALID_STATE', message);
  }
}

/** The operating system refused the RTP/RTCP sockets (bind failure other than a busy port). */
export class MediaSocketError extends OpenumError {
  constructor(message: string, cause: unknown) {
    super('OPENUM_MEDIA_SOCKET', message, { cause, sipStatus: 500 });
  }
}

/** A WAV file that is not 8 kHz mono 16-bit linear PCM, or not a well-formed RIFF/WAVE file. */
export class WavFormatError extends OpenumError {
  /** The header field or chunk that is wrong (`sampleRate`, `channels`, `data chunk`, …). */
  readonly field: string;
  /** What the file has. */
  readonly got: number | string;
  /** What openum needs. */
  readonly need: number | string;

  constructor(field: string, got: number | string, need: number | string, path?: string) {
    super('OPENUM_MEDIA_WAV_FORMAT', `${path === undefined ? 'WAV' : path}: ${field} is ${got}, need ${need}`);
    this.field = field;
    this.got = got;
    this.need = need;
  }
}

/** The file system refused a media file operation (prompt read, recording write, rename). */
export class MediaFileError extends OpenumError {
  /** The file concerned. */
  readonly path: string;

  constructor(path: string, operation: string, cause: unknown) {
    super('OPENUM_MEDIA_FILE_IO', `${operation} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.path = path;
  }
}

/** Some `*.partial` recordings could not be recovered at start-up; the others were. */
export class RecordingRecoveryError extends OpenumError {
  /** Recordings that were recovered before and after the failures. */
  readonly recovered: readonly { path: string; samples: number }[];
  /** Each partial file left in place, with why. */
  readonly failures: readonly { path: string; error: unknown }[];

  constructor(recovered: readonly { path: string; samples: number }[], failures: readonly { path: string; error: unknown }[]) {
    super('OPENUM_MEDIA_RECOVERY_FAILED', `${failures.length} partial recording(s) not recovered: ${failures.map((f) => f.path).join(', ')}`);
    this.recovered = recovered;
    this.failures = failures;
  }
}

/** A media thread could not start, or died while serving calls. */
export class MediaThreadError extends OpenumError {
  constructor(message: string, cause?: unknown) {
    super('OPENUM_MEDIA_THREAD', message, { cause, sipStatus: 500 });
  }
}
