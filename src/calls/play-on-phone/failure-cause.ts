// Spec §8: the SIP outcome of an outbound INVITE as a ConnectionFailureCause, and which outcomes are
// the gateway's fault (try the next gateway) rather than the called party's answer.
import { ConnectionFailureCause } from './phone-call-state.js';

const USER_BUSY: ReadonlySet<number> = new Set([486, 600]);
const NO_ANSWER: ReadonlySet<number> = new Set([408, 480]);
const UNAVAILABLE: ReadonlySet<number> = new Set([404, 410, 484, 503, 604]);

/** How one INVITE attempt through one gateway ended without an answer. */
export interface AttemptFailure {
  /** Final status (the core reports 408 for Timer B, 503 for a transport error). */
  statusCode: number;
  /** Our no-answer timer fired and we sent CANCEL. */
  noAnswer: boolean;
  /** A 18x came back on this attempt: something downstream of the gateway is ringing. */
  sawProvisional: boolean;
}

/** The failure cause of spec §8 for a final SIP status; `noAnswer` when our own timer gave up. */
export function failureCauseFor(statusCode: number, noAnswer: boolean): ConnectionFailureCause {
  if (noAnswer) return ConnectionFailureCause.NoAnswer;
  if (USER_BUSY.has(statusCode)) return ConnectionFailureCause.UserBusy;
  if (NO_ANSWER.has(statusCode)) return ConnectionFailureCause.NoAnswer;
  if (UNAVAILABLE.has(statusCode)) return ConnectionFailureCause.Unavailable;
  return ConnectionFailureCause.Other;
}

/**
 * Whether the next outcall gateway should be tried: the gateway itself failed (transport error and
 * 503, which the SIP core also reports for a refused connection) or never answered at all (Timer B,
 * or our timer with nothing heard). Once a 18x arrived, a timeout is the callee not answering, and
 * every other final response is the callee's (486, 404, 480, 603 …): those end the call.
 */
export function isGatewayFault(failure: AttemptFailure): boolean {
  if (failure.statusCode === 503) return true;
  if (failure.sawProvisional) return false;
  return failure.noAnswer || failure.statusCode === 408;
}
