import { CallMedia, type MediaEngine, type OpenCallMediaOptions } from './call-media.js';
import type { DtmfDigit } from './telephone-event.js';
import { MediaClock, type MediaClockStats } from './media-clock.js';
import type { MediaChange, NegotiatedMedia } from './offer-answer.js';
import { Player, PlayerState, type PlayItem, type PlayOptions, type PlayResult } from './player.js';
import type { PortSource } from './port-pool.js';
import { RtpSession } from './rtp-session.js';
import type { RtpSessionStats } from './rtp-session-types.js';
import type { WavCache } from './wav-cache.js';

/**
 * A call's media in this thread: an {@link RtpSession} whose outgoing audio comes from a
 * {@link Player}. Media threads run these too, one per call they serve.
 */
export class LocalCallMedia extends CallMedia {
  readonly closed: Promise<RtpSessionStats>;
  private readonly player: Player;
  private receiving = false;
  private resolveClosed!: (stats: RtpSessionStats) => void;

  constructor(
    private readonly rtp: RtpSession,
    cache: WavCache | undefined,
  ) {
    super();
    this.player = new Player(cache ? { cache } : {});
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    rtp.setSource(this.player);
    rtp.on('audio', (frame, info) => {
      if (this.receiving) this.emit('audio', frame, info);
    });
    rtp.on('dtmf', (digit) => this.emit('dtmf', digit));
    rtp.on('latched', (remote) => this.emit('latched', remote));
    rtp.on('timeout', () => this.emit('timeout'));
  }

  get port(): number {
    return this.rtp.port;
  }

  get negotiated(): NegotiatedMedia | undefined {
    return this.rtp.negotiated;
  }

  get playing(): boolean {
    return this.player.state !== PlayerState.Idle && this.player.state !== PlayerState.Closed;
  }

  get stats(): RtpSessionStats {
    return this.rtp.stats;
  }

  start(media: NegotiatedMedia): void {
    this.rtp.start(media);
  }

  update(media: NegotiatedMedia): MediaChange {
    return this.rtp.update(media);
  }

  play(items: readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
    return this.player.play(items, options);
  }

  interrupt(digit: DtmfDigit): boolean {
    return this.player.interrupt(digit);
  }

  stopPlay(): void {
    this.player.stop();
  }

  sendDigit(digit: string, durationMs?: number): void {
    this.rtp.sendDigit(digit, durationMs);
  }

  receiveAudio(on: boolean): void {
    this.receiving = on;
  }

  close(): void {
    if (this.rtp.isClosed) return;
    this.player.close();
    this.rtp.close();
    this.resolveClosed(this.rtp.stats);
  }
}

/** Options of a {@link LocalMediaEngine}. */
export interface LocalMediaEngineOptions {
  /** RTP ports. */
  pool: PortSource;
  /** The clock every call's tick runs on. Default a new one, closed with the engine. */
  clock?: MediaClock;
  /** Shared cache of prompt files. */
  prompts?: WavCache;
  /** Receives exceptions thrown on a tick (the clock keeps running); only for a clock made here. */
  onTickError?: (error: unknown) => void;
}

/** Media in the calling thread, on one shared clock: tests, and `Server.Rtp.MediaThreads: 0`. */
export class LocalMediaEngine implements MediaEngine {
  readonly threads = 0;
  private readonly clock: MediaClock;
  private readonly ownsClock: boolean;

  constructor(private readonly options: LocalMediaEngineOptions) {
    this.ownsClock = options.clock === undefined;
    this.clock = options.clock ?? new MediaClock(options.onTickError ? { onSubscriberError: options.onTickError } : {});
  }

  async open(options: OpenCallMediaOptions): Promise<CallMedia> {
    const rtp = await RtpSession.open({ pool: this.options.pool, clock: this.clock, bindAddress: options.bindAddress, inactivityTimeoutMs: options.inactivityTimeoutMs });
    return new LocalCallMedia(rtp, this.options.prompts);
  }

  get clockStats(): MediaClockStats {
    return this.clock.stats;
  }

  async close(): Promise<void> {
    if (this.ownsClock) this.clock.close();
  }
}
