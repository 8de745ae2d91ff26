import { OpenumError } from '../errors.js';

/** Why one system prompt is unusable. */
export interface PromptProblem {
  /** The manifest id (`goodbye`). */
  id: string;
  /** The file expected for it. */
  path: string;
  /** `missing`: no file (or no manifest entry for an id the code uses); `invalid`: not 8 kHz mono 16-bit PCM, or empty. */
  problem: 'missing' | 'invalid';
  /** What is wrong, for the log (the WAV field and values, or the missing manifest entry). */
  detail: string;
}

/**
 * System prompts that are missing or unusable, all of them at once so one run of
 * scripts/generate-prompts.sh fixes everything. Raised at start-up: openum refuses to take calls it
 * could not speak to.
 */
export class PromptMissingError extends OpenumError {
  /** Every missing or invalid prompt, in manifest order. */
  readonly problems: readonly PromptProblem[];

  constructor(directory: string, problems: readonly PromptProblem[]) {
    const list = problems.map((p) => `${p.id} (${p.problem}: ${p.detail})`).join('; ');
    super('OPENUM_MEDIA_PROMPT_MISSING', `${problems.length} system prompt(s) unusable in ${directory}: ${list}`);
    this.problems = problems;
  }
}

/** prompts/manifest.json is unreadable or not a prompt manifest. */
export class PromptManifestError extends OpenumError {
  /** The manifest file. */
  readonly path: string;

  constructor(path: string, message: string, cause?: unknown) {
    super('OPENUM_MEDIA_PROMPT_MANIFEST', `${path}: ${message}`, { cause });
    this.path = path;
  }
}

/** ffmpeg is not installed (or not where FFMPEG_PATH says): audio cannot be converted. */
export class FfmpegMissingError extends OpenumError {
  /** The command openum tried to run. */
  readonly command: string;

  constructor(command: string, cause: unknown) {
    super('OPENUM_MEDIA_FFMPEG_MISSING', `cannot run ${command}: install the Debian package ffmpeg (or set FFMPEG_PATH)`, { cause });
    this.command = command;
  }
}

/** ffmpeg could not decode a file into audio (not audio, corrupt, or no audio stream). */
export class AudioDecodeError extends OpenumError {
  /** The input file. */
  readonly path: string;
  /** ffmpeg's exit code (undefined when it produced no audio but exited 0). */
  readonly exitCode: number | undefined;

  constructor(path: string, detail: string, exitCode?: number) {
    super('OPENUM_MEDIA_AUDIO_UNDECODABLE', `${path}: not decodable as audio: ${detail}`);
    this.path = path;
    this.exitCode = exitCode;
  }
}
