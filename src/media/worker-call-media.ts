import { CallMedia } from './call-media.js';
import { MediaStateError } from './errors.js';
import { assertDigitSendable, assertStartable, DEFAULT_DIGIT_MS, startedMedia } from './session-guards.js';
import type { MediaCommand } from './media-worker-protocol.js';
import { describeMediaChange, type MediaChange, type NegotiatedMedia } from './offer-answer.js';
import { playItemSamples, type PlayItem, type PlayOptions, type PlayResult } from './player.js';
import type { ReceivedFrameInfo, RtpSessionStats } from './rtp-session-types.js';
import { sharedSamples } from './shared-samples.js';
import { JitterBuffer } from './jitter-buffer.js';
import { zeroRtpCounters } from './rtp-session-types.js';
import { digitToEvent, type DtmfDigit } from './telephone-event.js';
import type { WavCache } from './wav-cache.js';

interface CurrentPlay {
  playId: number;
  bargeIn: boolean;
  resolve: (result: PlayResult) => void;
  reject: (error: unknown) => void;
}

/** The counters of a session that has not reported yet. */
const NO_STATS: RtpSessionStats = { ...zeroRtpCounters(), packetsLost: 0, jitterMs: 0, jitterBuffer: new JitterBuffer().stats };

/**
 * The signalling thread's handle on a call's media served by a media thread. What must be answered at
 * once is answered here (state checks, what a re-offer changed, barge-in); the rest is a command to
 * the thread. Files are read here (through the shared prompt cache) and their samples shared with the
 * thread, so a prompt is decoded once per process, not once per thread.
 */
export class WorkerCallMedia extends CallMedia {
  readonly closed: Promise<RtpSessionStats>;
  private snapshot: RtpSessionStats = NO_STATS;
  private media: NegotiatedMedia | undefined;
  private current: CurrentPlay | undefined;
  private nextPlayId = 1;
  private receiving = false;
  private isClosed = false;
  private resolveClosed!: (stats: RtpSessionStats) => void;

  constructor(
    readonly port: number,
    private readonly id: number,
    private readonly send: (command: MediaCommand) => void,
    private readonly prompts: WavCache,
  ) {
    super();
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get negotiated(): NegotiatedMedia | undefined {
    return this.media;
  }

  get playing(): boolean {
    return this.current !== undefined;
  }

  get stats(): RtpSessionStats {
    return this.snapshot;
  }

  start(media: NegotiatedMedia): void {
    assertStartable(this.isClosed, this.media);
    this.media = media;
    this.send({ t: 'start', id: this.id, media });
  }

  update(media: NegotiatedMedia): MediaChange {
    const previous = startedMedia(this.isClosed, this.media);
    this.media = media;
    this.send({ t: 'update', id: this.id, media });
    return describeMediaChange(previous, media);
  }

  play(items: readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
    if (this.isClosed) return Promise.reject(new MediaStateError('player is closed: cannot start a play'));
    if (this.current) return Promise.reject(new MediaStateError('player is playing: cannot start a play'));
    let pending: (Int16Array | Promise<Int16Array>)[];
    try {
      pending = items.map((item) => playItemSamples(item, this.prompts));
    } catch (error) {
      return Promise.reject(error);
    }
    const playId = this.nextPlayId++;
    const bargeIn = options.bargeIn ?? false;
    const promise = new Promise<PlayResult>((resolve, reject) => (this.current = { playId, bargeIn, resolve, reject }));
    const begin = (segments: Int16Array[]): void => {
      const items = segments.map((samples) => ({ kind: 'pcm' as const, samples: sharedSamples(samples) }));
      this.send({ t: 'play', id: this.id, playId, items, bargeIn });
    };
    if (pending.every((part): part is Int16Array => part instanceof Int16Array)) begin(pending);
    else {
      Promise.all(pending).then(
        // stop(), a barge-in or close() may have ended this play while its files were read.
        (segments) => this.current?.playId === playId && begin(segments),
        (error: unknown) => {
          const current = this.current;
          if (current?.playId !== playId) return;
          this.current = undefined;
          current.reject(error);
        },
      );
    }
    return promise;
  }

  interrupt(digit: DtmfDigit): boolean {
    if (!this.current?.bargeIn) return false;
    this.endPlay({ completed: false, interruptedBy: digit });
    return true;
  }

  stopPlay(): void {
    this.endPlay({ completed: false });
  }

  sendDigit(digit: string, durationMs?: number): void {
    assertDigitSendable(this.isClosed, this.media, durationMs ?? DEFAULT_DIGIT_MS);
    digitToEvent(digit); // throws MediaArgumentError for a digit RFC 4733 has no event for, here rather than in the thread
    this.send({ t: 'digit', id: this.id, digit, durationMs });
  }

  receiveAudio(on: boolean): void {
    if (this.isClosed || on === this.receiving) return;
    this.receiving = on;
    this.send({ t: 'receive', id: this.id, on });
  }

  close(): void {
    if (this.isClosed) return;
    this.endPlay({ completed: false });
    this.isClosed = true;
    this.send({ t: 'close', id: this.id });
  }

  /** @internal The thread's report of a play that ended there (to the end, or stopped). */
  played(playId: number, result: PlayResult): void {
    const current = this.current;
    if (current?.playId !== playId) return; // ended here already (barge-in, stop)
    this.current = undefined;
    current.resolve(result);
  }

  /** @internal The thread could not play. */
  playFailed(playId: number, message: string): void {
    const current = this.current;
    if (current?.playId !== playId) return;
    this.current = undefined;
    current.reject(new MediaStateError(message));
  }

  /** @internal A frame received by the thread (also after close(): audio it sent before its "closed"). */
  received(frame: Int16Array, info: ReceivedFrameInfo): void {
    if (this.receiving) this.emit('audio', frame, info);
  }

  /** @internal Counters from the thread. */
  updateStats(stats: RtpSessionStats): void {
    this.snapshot = stats;
  }

  /** @internal The thread closed the session; these are its last counters. */
  finished(stats: RtpSessionStats): void {
    this.snapshot = stats;
    this.resolveClosed(stats);
  }

  /** @internal The thread died: the call cannot go on. */
  lost(error: Error): void {
    const wasOpen = !this.isClosed;
    this.endPlay({ completed: false });
    this.isClosed = true;
    this.resolveClosed(this.snapshot);
    if (wasOpen) this.emit('failed', error);
  }

  private endPlay(result: PlayResult): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    current.resolve(result);
    this.send({ t: 'stop', id: this.id, playId: current.playId });
  }
}
