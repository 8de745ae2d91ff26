/**
 * What the mailbox needs of a recording file. media/'s `RecordingFile` fits it as it is; the mailbox
 * layer declares it rather than importing media/ (layers beside each other stay independent), and
 * the wiring passes `{ create: (path) => RecordingFile.create(path), recoverPartial: recoverPartialRecordings }`.
 */
export interface MessageRecording {
  /** Where the committed recording will be (`<spool>/<id>.wav`). */
  readonly path: string;
  /** Appends 8 kHz samples; must not block. (Together with `close`, a media `RecordingSink`.) */
  write(samples: Int16Array): void;
  /** Cuts the recording to its first `samples` samples. */
  trimTo(samples: number): Promise<void>;
  /** Commits: fsync, then atomic rename of `<path>.partial` to `<path>`. */
  close(): Promise<void>;
  /** Abandons: deletes `<path>.partial`. */
  discard(): Promise<void>;
}

/** Creates recordings and finishes those a crash left (media's `RecordingFile` / `recoverPartialRecordings`). */
export interface MessageRecordingFiles {
  /** Creates `<path>.partial`, failing if it exists. */
  create(path: string): Promise<MessageRecording>;
  /**
   * Repairs every `*.partial` in `dir` and renames it to its final name. May throw an error carrying
   * `recovered` (those done) beside the failures, as media's `RecordingRecoveryError` does.
   */
  recoverPartial(dir: string): Promise<readonly { path: string; samples: number }[]>;
}

/** What a finished recording came to (media's `RecordingResult` fits). */
export interface MessageRecordingResult {
  /** Non-silent audio, ms (spec §3.2 step 4: under 1 s, nothing is kept). */
  voicedMs: number;
  /** Samples written to the sink. */
  samples: number;
  /** Samples of the silent run that ended the recording, trimmed off. */
  trailingSilenceSamples: number;
}

/** Sample rate of every recording (G.711 media, spec §3.2). */
export const RECORDING_SAMPLE_RATE = 8000;
/** Bytes of the canonical WAV header media/ writes; the audio starts there. */
export const RECORDING_HEADER_BYTES = 44;
