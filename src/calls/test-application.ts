import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DtmfDigit, RecordingResult, RecordingSink } from '../media/index.js';
import { BEEP, RecordingFile } from '../media/index.js';
import type { CallApplication } from './call-application.js';
import type { CallSession } from './call-session.js';

/** What the test application observed on one call (tests and logs read it). */
export interface TestCallReport {
  callId: string;
  /** Digits received, in order. */
  digits: string;
  /** The committed WAV of everything the caller sent (no file when the caller sent no audio). */
  recordingPath: string;
  recording: RecordingResult;
}

/**
 * A recording that touches the disk only once audio arrives: signalling-only test calls (SIPp's
 * built-in uac, call-rate benchmarks) then cost no file operations.
 */
class LazyRecording implements RecordingSink {
  private file: Promise<RecordingFile | undefined> | undefined;
  private readonly early: Int16Array[] = [];
  private opened: RecordingFile | undefined;
  private failed: unknown;

  constructor(readonly path: string) {}

  write(samples: Int16Array): void {
    if (this.opened) return this.opened.write(samples);
    if (this.failed) return;
    this.early.push(samples.slice());
    this.file ??= RecordingFile.create(this.path).then(
      (file) => {
        for (const chunk of this.early.splice(0)) file.write(chunk);
        this.opened = file;
        return file;
      },
      (error: unknown) => {
        // No file, no buffering either: a test recording must not grow without bound.
        this.failed = error;
        this.early.length = 0;
        return undefined;
      },
    );
  }

  /** Commits the file, if any audio came. */
  async close(): Promise<void> {
    const file = this.file && (await this.file);
    if (file) await file.close();
    if (this.failed) throw this.failed;
  }
}

/** Options of {@link createTestApplication}. */
export interface TestApplicationOptions {
  /** Where recordings go (DataDirectory/test-calls). */
  recordingsDirectory: string;
  /** Longest ring time a caller may ask for with the `ring` Request-URI parameter, ms. Default 10000. */
  maxRingMs?: number;
  /** Told of each finished call. */
  onFinished?: (report: TestCallReport) => void;
}

/**
 * The built-in test extension (Server.TestExtension): answers (after ringing, when the Request-URI asks
 * with `;ring=<ms>`), plays a beep, records all it
 * hears to a WAV, echoes every DTMF digit back as an RFC 4733 event, and hangs up after `#` (or when
 * the caller does). It proves signalling, media and DTMF end to end before the real applications.
 */
export function createTestApplication(options: TestApplicationOptions): CallApplication {
  mkdirSync(options.recordingsDirectory, { recursive: true });
  return {
    // `sip:99999@openum;ring=1000` rings for a second first, so a caller can CANCEL; default: answer at once.
    ringMs: (params) => Math.min(Number.parseInt(params['ring'] ?? '0', 10) || 0, options.maxRingMs ?? 10_000),
    async run(session: CallSession) {
      const recordingPath = join(options.recordingsDirectory, `${session.callId.replace(/[^\w.-]/g, '_')}.wav`);
      const file = new LazyRecording(recordingPath);
      const recording = session.record({ sink: file, terminators: [], idleTimeoutMs: 0, maxDurationMs: 30 * 60_000 });
      let digits = '';
      const hungUpByPound = new Promise<void>((resolve) => {
        session.on('dtmf', (digit) => {
          digits += digit;
          if (session.media.negotiated?.telephoneEvent) session.media.sendDigit(digit as DtmfDigit);
          if (digit === '#') resolve();
        });
      });
      await session.play([{ kind: 'tone', ...BEEP }]);
      await Promise.race([hungUpByPound, session.whenEnded()]);
      await session.hangup('local');
      const result = await recording;
      await file.close();
      session.logger.info({ digits, recording: recordingPath, durationMs: result.durationMs }, 'test call finished');
      options.onFinished?.({ callId: session.callId, digits, recordingPath, recording: result });
    },
  };
}
