// One Play on Phone call as GetPhoneCallInformation sees it: spec §8's state machine with its failure
// cause and last SIP response, plus the handles that end it (CANCEL signal, media session).
import type { Logger } from 'pino';
import type { CallSession } from '../call-session.js';
import { PlayOnPhoneStateError } from './errors.js';
import { canTransition, ConnectionFailureCause, PhoneCallState } from './phone-call-state.js';

/** What GetPhoneCallInformation reports; field names as http/'s PhoneCallInformation. */
export interface PhoneCallInformation {
  state: PhoneCallState;
  failureCause: ConnectionFailureCause;
  /** The last SIP response (provisional or final) the call got, when there was one. */
  sipResponseCode?: number;
  sipResponseText?: string;
}

/** A Play on Phone call: state, outcome, and what is needed to end it. */
export class PhoneCall {
  /** Unguessable id (the EWS PhoneCallId). */
  readonly id: string;
  /** The mailbox alias as configured. */
  readonly alias: string;
  readonly logger: Logger;
  /** Aborted to abandon an INVITE not answered yet (sends CANCEL) and to stop trying gateways. */
  readonly abandon = new AbortController();
  /** The media session, once answered. */
  session: CallSession | undefined;
  /** When the call reached Disconnected (ms since the epoch), for retention. */
  endedAt: number | undefined;
  private current: PhoneCallState = PhoneCallState.Idle;
  private cause: ConnectionFailureCause = ConnectionFailureCause.None;
  private lastResponse: { code: number; text: string } | undefined;
  private readonly ended: Promise<void>;
  private markEnded!: () => void;

  constructor(id: string, alias: string, logger: Logger) {
    this.id = id;
    this.alias = alias;
    this.logger = logger;
    this.ended = new Promise((resolve) => {
      this.markEnded = resolve;
    });
  }

  /** Where the call is. */
  get state(): PhoneCallState {
    return this.current;
  }

  /** Why it failed; None while live and for calls that connected or were ended on purpose. */
  get failureCause(): ConnectionFailureCause {
    return this.cause;
  }

  /** Records the latest SIP response (reported with the state). */
  recordResponse(code: number, text: string): void {
    this.lastResponse = { code, text };
  }

  /** Moves to `to`; throws {@link PlayOnPhoneStateError} for a move spec §8 does not allow. */
  transition(to: PhoneCallState): void {
    const from = this.current;
    if (!canTransition(from, to)) throw new PlayOnPhoneStateError(from, to);
    if (from === to) return;
    this.current = to;
    this.logger.debug({ from, to }, 'Play on Phone call state');
  }

  /** Ends the call with a cause (None for a normal end); idempotent, the first cause stays. */
  disconnect(cause: ConnectionFailureCause, now: number): void {
    if (this.current === PhoneCallState.Disconnected) return;
    this.cause = cause;
    this.endedAt = now;
    this.transition(PhoneCallState.Disconnected);
    this.markEnded();
  }

  /** Resolves once the call is Disconnected. */
  whenDisconnected(): Promise<void> {
    return this.ended;
  }

  /** The GetPhoneCallInformation view. */
  info(): PhoneCallInformation {
    const info: PhoneCallInformation = { state: this.current, failureCause: this.cause };
    if (this.lastResponse) {
      info.sipResponseCode = this.lastResponse.code;
      info.sipResponseText = this.lastResponse.text;
    }
    return info;
  }
}
