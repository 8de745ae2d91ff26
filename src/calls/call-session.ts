import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { CallMedia, DtmfDigit, LocalMediaOptions, NegotiatedMedia, PlayItem, PlayOptions, PlayResult, RecorderOptions, RecordingResult } from '../media/index.js';
import { answerOffer, createOffer, NoCommonCodecError, readAnswer, Recorder } from '../media/index.js';
import type { IncomingCall, SipDialog } from '../sip/index.js';
import { parseDtmfInfo } from '../sip/index.js';
import type { CallMediaContext, CallSessionEvents, CollectDigitsOptions, CollectedDigits, HangupReason } from './call-session-types.js';
import { CallAnswerError, CallEndedError } from './errors.js';

/** Most digits kept for type-ahead; older ones are forgotten. */
const MAX_TYPE_AHEAD = 4;

/**
 * One answered call as call applications see it: RTP media, DTMF from RTP and SIP INFO as one stream,
 * re-INVITEs (hold, new address) applied, dead calls (no RTP) hung up. Applications never see SIP.js
 * types or sockets.
 */
export class CallSession extends EventEmitter<CallSessionEvents> {
  readonly callId: string;
  /** The call's RTP and player (in a media thread, usually). */
  readonly media: CallMedia;
  readonly logger: Logger;
  private ended: HangupReason | undefined;
  private sdpVersion: number;
  private readonly local: LocalMediaOptions;
  private recorder: { recorder: Recorder; done: (result: RecordingResult) => void } | undefined;
  /** Digits pressed while nothing listened for them, for the next barge-in prompt (bounded). */
  private readonly typeAhead: string[] = [];

  private constructor(private readonly dialog: SipDialog, media: CallMedia, local: LocalMediaOptions, logger: Logger) {
    super();
    this.callId = dialog.callId;
    this.media = media;
    this.local = local;
    this.sdpVersion = local.origin.sessionVersion;
    this.logger = logger;
    media.on('audio', (frame, info) => {
      const active = this.recorder;
      const result = active?.recorder.process(frame, info);
      if (active && result) this.finishRecording(active, result);
    });
    media.on('dtmf', (event) => this.digit(event.digit, 'rtp'));
    media.on('timeout', () => {
      this.logger.info('no RTP from the peer; hanging up');
      void this.hangup('rtp-timeout');
    });
    media.on('failed', (error) => {
      this.logger.error({ err: error }, 'media failed; hanging up');
      void this.hangup('error');
    });
    dialog.on('info', (body) => {
      const digit = parseDtmfInfo(body);
      if (digit !== undefined) this.digit(digit, 'info');
    });
    dialog.on('modify', (offer, reply) => this.reoffer(offer, reply));
    dialog.on('destroy', (reason) => this.end(reason === 'local' ? 'local' : reason === 'closed' ? 'closed' : 'remote'));
  }

  /**
   * Answers an incoming call: opens RTP, answers the offer (or offers, for an offer-less INVITE), sends
   * 200 OK and waits for the ACK. No common codec → 488 and CallAnswerError.
   */
  static async answer(call: IncomingCall, context: CallMediaContext): Promise<CallSession> {
    const logger = context.logger.child({ callId: call.callId });
    const callMedia = await context.engine.open({ bindAddress: context.address, inactivityTimeoutMs: context.inactivityTimeoutMs });
    const local: LocalMediaOptions = { address: context.address, port: callMedia.port, origin: { sessionId: String(Date.now()), sessionVersion: 1 } };
    let dialog: SipDialog | undefined;
    try {
      let sdp: string;
      let media: NegotiatedMedia | undefined;
      if (call.sdpOffer !== undefined) {
        const negotiated = answerOffer(call.sdpOffer, local);
        sdp = negotiated.answer;
        media = negotiated.media;
      } else {
        sdp = createOffer(local);
      }
      dialog = await call.accept({ sdp });
      media ??= readAnswer(dialog.remoteSdp, local);
      const session = new CallSession(dialog, callMedia, local, logger);
      callMedia.start(media);
      // A BYE in the same read as the ACK ends the dialog before the session listened for it.
      if (dialog.destroyed) session.end('remote');
      logger.debug({ codec: media.codec, remote: `${media.remoteAddress}:${media.remotePort}` }, 'call answered');
      return session;
    } catch (error) {
      callMedia.close();
      if (dialog) {
        // Answered already (an offer-less INVITE whose ACK had no usable answer, a clock closed by
        // shutdown): the caller must not be left on dead air.
        void dialog.destroy().catch((e: unknown) => logger.warn({ err: e }, 'BYE after a failed answer failed'));
        throw new CallAnswerError(`answered, then failed: ${(error as Error).message}`, { cause: error });
      }
      if (error instanceof NoCommonCodecError) {
        call.reject(488, { reasonPhrase: 'Not Acceptable Here' });
        throw new CallAnswerError('no common codec', { sipStatus: 488, cause: error });
      }
      throw error instanceof CallAnswerError ? error : new CallAnswerError(`could not answer: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Places an outbound call (Play on Phone): opens RTP, offers PCMU/PCMA + telephone-event, lets
   * `place` send the INVITE with that offer (it may try several gateways with the same offer) and
   * starts media from the answer. `place`'s rejection is passed through unchanged; an answer without a
   * common codec is hung up (BYE) and rejects with CallAnswerError.
   */
  static async dial(place: (offer: string) => Promise<SipDialog>, context: CallMediaContext): Promise<CallSession> {
    const callMedia = await context.engine.open({ bindAddress: context.address, inactivityTimeoutMs: context.inactivityTimeoutMs });
    const local: LocalMediaOptions = { address: context.address, port: callMedia.port, origin: { sessionId: String(Date.now()), sessionVersion: 1 } };
    let dialog: SipDialog;
    try {
      dialog = await place(createOffer(local));
    } catch (error) {
      callMedia.close();
      throw error;
    }
    const logger = context.logger.child({ callId: dialog.callId });
    try {
      const media = readAnswer(dialog.remoteSdp, local);
      const session = new CallSession(dialog, callMedia, local, logger);
      callMedia.start(media);
      // A BYE right behind the 2xx ends the dialog before the session listened for it.
      if (dialog.destroyed) session.end('remote');
      logger.debug({ codec: media.codec, remote: `${media.remoteAddress}:${media.remotePort}` }, 'outbound call answered');
      return session;
    } catch (error) {
      callMedia.close();
      void dialog.destroy().catch((e: unknown) => logger.warn({ err: e }, 'BYE after an unusable answer failed'));
      throw new CallAnswerError(`answered, but the answer is unusable: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Whether the call has ended, and why. */
  get endedReason(): HangupReason | undefined {
    return this.ended;
  }

  /** Ends the call (BYE) and releases media; idempotent. */
  async hangup(reason: HangupReason = 'local'): Promise<void> {
    if (this.ended) return;
    this.end(reason);
    try {
      await this.dialog.destroy();
    } catch (error) {
      this.logger.warn({ err: error }, 'BYE failed');
    }
  }

  /** Resolves when the call has ended. */
  whenEnded(): Promise<HangupReason> {
    if (this.ended) return Promise.resolve(this.ended);
    return new Promise((resolve) => this.once('hangup', resolve));
  }

  /** Plays prompts, files, tones or PCM to the caller; with `bargeIn`, a digit ends the play at once. */
  play(items: readonly PlayItem[], options: PlayOptions = {}): Promise<PlayResult> {
    if (this.ended) return Promise.resolve({ completed: false });
    // Type-ahead: a key pressed just before a barge-in prompt began (say `#` the moment the call is
    // answered) ends that prompt as if pressed during it.
    const early = options.bargeIn ? this.typeAhead.shift() : undefined;
    if (early !== undefined) return Promise.resolve({ completed: false, interruptedBy: early as DtmfDigit });
    return this.media.play(items, options);
  }

  /**
   * Records the caller into `options.sink` until a terminator digit, silence, the maximum duration or
   * hang-up; resolves with what the recording came to. The sink is not closed: the caller commits it.
   */
  record(options: RecorderOptions): Promise<RecordingResult> {
    const recorder = new Recorder({ ...options, logger: this.logger });
    if (this.ended) return Promise.resolve(recorder.stop('hangup'));
    if (this.recorder) this.finishRecording(this.recorder, this.recorder.recorder.stop('stopped'));
    return new Promise((resolve) => {
      this.recorder = { recorder, done: resolve };
      this.media.receiveAudio(true);
      recorder.start();
    });
  }

  /**
   * Collects DTMF digits: up to `maxDigits`, until a terminator, or until a digit is late.
   * Rejects with CallEndedError if the caller hangs up.
   */
  collectDigits(options: CollectDigitsOptions): Promise<CollectedDigits> {
    return new Promise((resolve, reject) => {
      if (this.ended) return reject(new CallEndedError(this.ended));
      let digits = '';
      let timer: NodeJS.Timeout;
      const finish = (result: CollectedDigits | CallEndedError) => {
        clearTimeout(timer);
        this.off('dtmf', onDigit);
        this.off('hangup', onHangup);
        if (result instanceof CallEndedError) reject(result);
        else resolve(result);
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ digits, end: 'timeout' }), ms);
      };
      const onDigit = (digit: string) => {
        if (options.terminators?.includes(digit)) return finish({ digits, end: 'terminator', terminator: digit });
        digits += digit;
        if (digits.length >= options.maxDigits) return finish({ digits, end: 'max-digits' });
        arm(options.interDigitTimeoutMs);
      };
      const onHangup = (reason: HangupReason) => finish(new CallEndedError(reason));
      this.on('dtmf', onDigit);
      this.on('hangup', onHangup);
      arm(options.firstDigitTimeoutMs);
    });
  }

  private digit(digit: string, via: 'rtp' | 'info'): void {
    if (this.ended) return;
    this.logger.debug({ digit, via }, 'DTMF');
    const interrupted = this.media.interrupt(digit as DtmfDigit);
    const active = this.recorder;
    const result = active?.recorder.digit(digit as DtmfDigit);
    if (active && result) this.finishRecording(active, result);
    if (!interrupted && !active && !this.media.playing) {
      this.typeAhead.push(digit);
      if (this.typeAhead.length > MAX_TYPE_AHEAD) this.typeAhead.shift();
    }
    this.emit('dtmf', digit);
  }

  /** A re-INVITE: answer it from the same port and apply hold / new address to the RTP session. */
  private reoffer(offer: string, reply: { answer(sdp: string): void; reject(status: number): void }): void {
    try {
      this.sdpVersion++;
      const { answer, media } = answerOffer(offer, { ...this.local, origin: { ...this.local.origin, sessionVersion: this.sdpVersion } });
      const change = this.media.update(media);
      reply.answer(answer);
      this.logger.debug({ change }, 're-INVITE applied');
    } catch (error) {
      this.logger.info({ err: error }, 're-INVITE refused');
      reply.reject(error instanceof NoCommonCodecError ? 488 : 400);
    }
  }

  private finishRecording(active: { recorder: Recorder; done: (result: RecordingResult) => void }, result: RecordingResult): void {
    if (this.recorder === active) {
      this.recorder = undefined;
      this.media.receiveAudio(false);
    }
    active.done(result);
  }

  private end(reason: HangupReason): void {
    if (this.ended) return;
    this.ended = reason;
    this.media.close();
    // What was received before the hang-up stays recorded: a media thread's last audio may still be on
    // its way here, and comes before its "closed" — the recorder ends (reason 'hangup') after that.
    const active = this.recorder;
    if (active) {
      void this.media.closed.then(() => {
        if (this.recorder === active) this.finishRecording(active, active.recorder.stop('hangup'));
      });
    }
    this.logger.debug({ reason }, 'call ended');
    this.emit('hangup', reason);
  }
}
