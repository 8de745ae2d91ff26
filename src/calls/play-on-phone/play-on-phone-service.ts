// Spec §8: Play on Phone — dial the user's phone through an outcall gateway and play a voice message.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { UMDialPlan, UMMailbox } from '../../config/index.js';
import type { Directory } from '../../directory/index.js';
import type { StoredMessage } from '../../mailbox/index.js';
import type { PlayItem } from '../../media/index.js';
import { SipCallFailedError } from '../../sip/index.js';
import { CallSession } from '../call-session.js';
import type { CallMediaContext } from '../call-session-types.js';
import { callerIdFor } from './caller-id.js';
import type { PlayOnPhoneCallerId } from './caller-id.js';
import { authorizePlayOnPhoneDial } from './dial-authorization.js';
import { PlayOnPhoneClosedError, PlayOnPhoneRefusedError } from './errors.js';
import { failureCauseFor } from './failure-cause.js';
import type { OutboundCaller } from './gateway-dialer.js';
import { dialThroughGateways } from './gateway-dialer.js';
import { outcallGateways } from './gateway-choice.js';
import type { OutcallGateway } from './gateway-choice.js';
import { findUserMessage, loadMessageAudio } from './message-audio.js';
import { MessageAudioCache } from './message-audio-cache.js';
import type { PlayOnPhoneMessages } from './message-audio.js';
import { PhoneCall } from './phone-call.js';
import type { PhoneCallInformation } from './phone-call.js';
import { ConnectionFailureCause, isLive, PhoneCallState } from './phone-call-state.js';

/** Options of a {@link PlayOnPhoneService}. Units: ms. */
export interface PlayOnPhoneServiceOptions {
  /** Users, policies, dial plans and gateways. */
  directory: Directory;
  /** Places the INVITEs (the SipEndpoint). */
  sip: OutboundCaller;
  /** RTP ports, media clock and address, as for inbound calls. */
  media: CallMediaContext;
  /** The messages (the MailboxService). */
  messages: PlayOnPhoneMessages;
  logger: Logger;
  /** Give up on one gateway attempt (CANCEL) when nobody answers within this time. Default 30 s. */
  noAnswerTimeoutMs?: number;
  /** How long a finished call stays readable through {@link PlayOnPhoneService.get}. Default 10 min. */
  retentionMs?: number;
  /** Most finished calls kept at once; the oldest are forgotten early beyond it. Default 10,000. */
  maxRetainedCalls?: number;
  /** What is played before the message (e.g. who left it, when); default nothing. A failure here is logged and skipped. */
  envelope?: (message: StoredMessage) => readonly PlayItem[] | Promise<readonly PlayItem[]>;
  /** Counts Play on Phone calls with the server's calls (MaxCallsAllowed, drain, metrics); none: unlimited. */
  calls?: OutboundCallTracker;
  /** Told when a message was played to the end (the app marks it read and updates the lamp). Errors are logged. */
  onMessagePlayed?: (message: StoredMessage) => void | Promise<void>;
  /** ffmpeg, for messages stored as Gsm, Mp3 or Wma. Default `ffmpeg` on the PATH. */
  ffmpegPath?: string;
  /** Phone call ids; default 128 random bits, base64url. */
  newId?: () => string;
  /** Clock for retention. */
  now?: () => number;
}

/** Where outbound calls are counted with the node's other calls. */
export interface OutboundCallTracker {
  /** Reserves room for one more call; false when the node is full (MaxCallsAllowed) or draining. */
  reserve(): boolean;
  /** The call's media session exists (its RTP counts from now). */
  started(session: CallSession): void;
  /** The reservation ends: the call is over, or never got placed. */
  release(session: CallSession | undefined): void;
}

/** What {@link PlayOnPhoneService.start} is asked to do. */
export interface PlayOnPhoneRequest {
  /** The authenticated user's mailbox alias. */
  alias: string;
  /** The message id (one of that user's messages). */
  messageId: string;
  /** What to dial: digits with punctuation, +E.164, an extension or a SIP URI. */
  dialString: string;
}

/** Everything a call needs once it is allowed. */
interface CallPlan {
  message: StoredMessage;
  gateways: OutcallGateway[];
  dialed: string;
  callerId: PlayOnPhoneCallerId;
  items: PlayItem[];
}

// A little silence after the message so the phone's jitter buffer plays the last words before the BYE.
const TAIL_SILENCE: PlayItem = { kind: 'silence', durationMs: 300 };

/**
 * Play on Phone calls (spec §8): gates, dialing rules, the INVITE through the outcall gateways, the
 * message played on answer, and the state GetPhoneCallInformation reads. One live call per user;
 * finished calls stay readable for `retentionMs`. Every method takes the authenticated user's alias
 * and only ever touches that user's calls.
 */
export class PlayOnPhoneService {
  private readonly calls = new Map<string, PhoneCall>();
  private readonly audio = new MessageAudioCache();
  /** Ids of calls holding a reservation of `options.calls`. */
  private readonly reservations = new Set<string>();
  /** Lower-case alias → the user's live call, or a reservation while a start() is being checked. */
  private readonly liveByUser = new Map<string, PhoneCall | 'starting'>();
  private readonly forgetTimers = new Map<string, NodeJS.Timeout>();
  private readonly noAnswerTimeoutMs: number;
  private readonly retentionMs: number;
  private readonly maxRetainedCalls: number;
  private readonly newId: () => string;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: PlayOnPhoneServiceOptions) {
    this.noAnswerTimeoutMs = options.noAnswerTimeoutMs ?? 30_000;
    this.retentionMs = options.retentionMs ?? 10 * 60_000;
    this.maxRetainedCalls = options.maxRetainedCalls ?? 10_000;
    this.newId = options.newId ?? (() => randomBytes(16).toString('base64url'));
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts a call; resolves once the INVITE is on its way (state Connecting). Throws
   * {@link PlayOnPhoneRefusedError} when refused — nothing is dialed then.
   */
  async start(request: PlayOnPhoneRequest): Promise<{ phoneCallId: string }> {
    if (this.closed) throw new PlayOnPhoneClosedError();
    const { directory } = this.options;
    const mailbox = directory.findMailbox(request.alias);
    if (!mailbox) throw new PlayOnPhoneRefusedError('user-not-um-enabled', `no UM mailbox "${request.alias}"`);
    const policy = directory.policyOfMailbox(mailbox);
    const dialPlan = directory.dialPlanOfMailbox(mailbox);
    if (!policy || !dialPlan) throw new PlayOnPhoneRefusedError('dial-plan-not-found', `the UM mailbox policy or dial plan of "${mailbox.Alias}" is missing`);
    if (!policy.AllowPlayOnPhone || !mailbox.PlayOnPhoneEnabled) {
      throw new PlayOnPhoneRefusedError('user-not-um-enabled', `Play on Phone is not enabled for "${mailbox.Alias}"`);
    }
    const userKey = mailbox.Alias.toLowerCase();
    if (this.liveByUser.has(userKey)) throw new PlayOnPhoneRefusedError('request-failed', `"${mailbox.Alias}" already has a Play on Phone call`);
    // Held from here, across the awaits below, so two requests at once cannot both pass the check.
    this.liveByUser.set(userKey, 'starting');
    let call: PhoneCall | undefined;
    let reserved = false;
    try {
      const plan = await this.prepare(mailbox, dialPlan, request);
      if (this.closed) throw new PlayOnPhoneClosedError();
      // Allowed: now it must fit beside the node's other calls.
      if (this.options.calls && !this.options.calls.reserve()) throw new PlayOnPhoneRefusedError('request-failed', 'the server is at MaxCallsAllowed or shutting down');
      reserved = this.options.calls !== undefined;
      const id = this.newId();
      call = new PhoneCall(id, mailbox.Alias, this.options.logger.child({ mailbox: mailbox.Alias, phoneCallId: id }));
      if (reserved) this.reservations.add(id);
      reserved = false;
      this.calls.set(call.id, call);
      this.liveByUser.set(userKey, call);
      await this.launch(call, plan);
      return { phoneCallId: call.id };
    } catch (error) {
      if (this.liveByUser.get(userKey) === 'starting' || this.liveByUser.get(userKey) === call) this.liveByUser.delete(userKey);
      if (reserved) this.options.calls?.release(undefined);
      if (call && this.reservations.delete(call.id)) this.options.calls?.release(call.session);
      if (call) this.forget(call.id);
      throw error;
    }
  }

  /** The state of one of the user's calls; undefined when the id is unknown for this user (or forgotten). */
  get(alias: string, phoneCallId: string): PhoneCallInformation | undefined {
    return this.usersCall(alias, phoneCallId)?.info();
  }

  /**
   * Ends one of the user's calls: CANCEL while it rings, BYE once answered; resolves when it is
   * Disconnected. False when the id is unknown for this user; true (and nothing done) when it already ended.
   */
  async disconnect(alias: string, phoneCallId: string): Promise<boolean> {
    const call = this.usersCall(alias, phoneCallId);
    if (!call) return false;
    if (call.state === PhoneCallState.Disconnected) return true;
    call.logger.info('Play on Phone call disconnected by the user');
    call.abandon.abort();
    if (call.session) await call.session.hangup('local');
    await call.whenDisconnected();
    return true;
  }

  /** Calls live now (Connecting, Alerted or Connected). */
  get liveCalls(): number {
    let live = 0;
    for (const call of this.calls.values()) if (isLive(call.state)) live++;
    return live;
  }

  /** Hangs up every call (CANCEL or BYE), forgets them all and refuses new ones. Synchronous and idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.forgetTimers.values()) clearTimeout(timer);
    this.forgetTimers.clear();
    for (const call of this.calls.values()) {
      if (!isLive(call.state)) continue;
      call.abandon.abort();
      if (call.session) void call.session.hangup('closed');
    }
    this.calls.clear();
    this.liveByUser.clear();
  }

  private usersCall(alias: string, phoneCallId: string): PhoneCall | undefined {
    const call = this.calls.get(phoneCallId);
    // Another user's id is "unknown", exactly like an id that never existed.
    return call && call.alias.toLowerCase() === alias.toLowerCase() ? call : undefined;
  }

  /** Everything checked before dialing: the number, a gateway, the message and its audio. */
  private async prepare(mailbox: UMMailbox, dialPlan: UMDialPlan, request: PlayOnPhoneRequest): Promise<CallPlan> {
    const { directory, messages } = this.options;
    const alias = mailbox.Alias;
    const dial = authorizePlayOnPhoneDial(directory, alias, request.dialString);
    const gateways = outcallGateways(directory.configuration.UMIPGateways, dialPlan.Name);
    if (gateways.length === 0) throw new PlayOnPhoneRefusedError('request-failed', `dial plan "${dialPlan.Name}" has no enabled gateway with OutcallsAllowed`);
    const message = await findUserMessage(messages, alias, request.messageId);
    if (!message) throw new PlayOnPhoneRefusedError('item-not-found', `no message "${request.messageId.slice(0, 100)}" in this mailbox`);
    let samples: Int16Array;
    try {
      samples = await this.audio.get(message, () => loadMessageAudio(messages, message, this.options.ffmpegPath === undefined ? {} : { ffmpegPath: this.options.ffmpegPath }));
    } catch (error) {
      throw new PlayOnPhoneRefusedError('request-failed', `the message audio cannot be read: ${(error as Error).message}`, { cause: error });
    }
    const callerId = callerIdFor({ dialPlan, mailbox, domain: directory.configuration.Server.Domain });
    const envelope = await this.envelopeOf(message);
    this.options.logger.debug({ mailbox: alias, dialed: dial.dialed, category: dial.category, gateways: gateways.map((g) => g.name) }, 'Play on Phone allowed');
    return { message, gateways, dialed: dial.dialed, callerId, items: [...envelope, { kind: 'pcm', samples }, TAIL_SILENCE] };
  }

  private async envelopeOf(message: StoredMessage): Promise<readonly PlayItem[]> {
    if (!this.options.envelope) return [];
    try {
      return await this.options.envelope(message);
    } catch (error) {
      this.options.logger.warn({ err: error, messageId: message.id }, 'Play on Phone envelope unavailable; playing the message alone');
      return [];
    }
  }

  /** Runs the call in the background; resolves once the first INVITE is sent, rejects if it never was. */
  private launch(call: PhoneCall, plan: CallPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      let sent = false;
      const onFirstInvite = () => {
        sent = true;
        resolve();
      };
      this.run(call, plan, onFirstInvite).then(
        () => {
          if (!sent) reject(new PlayOnPhoneRefusedError('request-failed', 'the call ended before it was placed'));
        },
        (error: unknown) => {
          call.logger.error({ err: error }, 'Play on Phone call failed');
          if (!sent) reject(new PlayOnPhoneRefusedError('request-failed', `the call could not be placed: ${(error as Error).message}`, { cause: error }));
        },
      );
    });
  }

  private async run(call: PhoneCall, plan: CallPlan, onFirstInvite: () => void): Promise<void> {
    let session: CallSession;
    try {
      const request = { call, gateways: plan.gateways, dialed: plan.dialed, callerId: plan.callerId, noAnswerTimeoutMs: this.noAnswerTimeoutMs, onFirstInvite };
      session = await CallSession.dial((offer) => dialThroughGateways(this.options.sip, request, offer), this.options.media);
    } catch (error) {
      this.finish(call, this.causeOf(call, error));
      if (error instanceof SipCallFailedError || call.abandon.signal.aborted) return;
      throw error;
    }
    call.session = session;
    this.options.calls?.started(session);
    call.recordResponse(200, 'OK');
    call.transition(PhoneCallState.Connected);
    call.logger.info({ callId: session.callId }, 'Play on Phone call answered; playing the message');
    // The far end may already have hung up (a BYE right behind the 2xx); then no 'hangup' follows.
    if (session.endedReason !== undefined) {
      this.finish(call, ConnectionFailureCause.None);
      return;
    }
    session.once('hangup', (reason) => {
      call.logger.info({ reason }, 'Play on Phone call ended');
      this.finish(call, ConnectionFailureCause.None);
    });
    // A disconnect or close() that crossed the 2xx: the CANCEL came too late, so hang up now.
    if (call.abandon.signal.aborted) {
      await session.hangup('local');
      return;
    }
    try {
      await session.play(plan.items);
      if (session.endedReason === undefined) await this.played(call, plan.message);
    } finally {
      await session.hangup('local');
    }
  }

  private async played(call: PhoneCall, message: StoredMessage): Promise<void> {
    try {
      await this.options.onMessagePlayed?.(message);
    } catch (error) {
      call.logger.warn({ err: error, messageId: message.id }, 'onMessagePlayed failed');
    }
  }

  /** The failure cause of a call that never connected. */
  private causeOf(call: PhoneCall, error: unknown): ConnectionFailureCause {
    // The user (or shutdown) ended it: not a failure of the call.
    if (call.abandon.signal.aborted) return ConnectionFailureCause.None;
    if (error instanceof SipCallFailedError) return failureCauseFor(error.failure.statusCode, error.failure.noAnswer);
    return ConnectionFailureCause.Other;
  }

  /** Disconnected: frees the user's slot and keeps the call readable for the retention time. */
  private finish(call: PhoneCall, cause: ConnectionFailureCause): void {
    if (call.state === PhoneCallState.Disconnected) return;
    if (this.reservations.delete(call.id)) this.options.calls?.release(call.session);
    call.disconnect(cause, this.now());
    call.logger.info({ ...call.info() }, 'Play on Phone call disconnected');
    const userKey = call.alias.toLowerCase();
    if (this.liveByUser.get(userKey) === call) this.liveByUser.delete(userKey);
    if (this.closed || !this.calls.has(call.id)) return;
    const timer = setTimeout(() => this.forget(call.id), this.retentionMs);
    timer.unref();
    this.forgetTimers.set(call.id, timer);
    this.trimRetained();
  }

  private forget(id: string): void {
    const timer = this.forgetTimers.get(id);
    if (timer) clearTimeout(timer);
    this.forgetTimers.delete(id);
    this.calls.delete(id);
  }

  /** Beyond maxRetainedCalls finished calls, the oldest go first (the map is in creation order). */
  private trimRetained(): void {
    let excess = this.forgetTimers.size - this.maxRetainedCalls;
    if (excess <= 0) return;
    for (const id of this.forgetTimers.keys()) {
      if (excess-- <= 0) break;
      this.forget(id);
    }
  }
}
