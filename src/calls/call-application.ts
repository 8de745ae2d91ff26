import type { CallTarget } from '../directory/index.js';
import type { CallerIdentity } from './caller-identity.js';
import type { CallSession } from './call-session.js';

/** What a call is for, once routing accepted it. */
export type RoutedTarget = CallTarget | { kind: 'test' };

/** What the application knows about the call beyond its session. */
export interface CallContext {
  caller: CallerIdentity;
}

/** A call application: takes over an answered call for one kind of target. */
export interface CallApplication {
  /**
   * Send 180 Ringing and wait this long (ms) before answering; a CANCEL meanwhile ends the call. A
   * function gets the Request-URI parameters.
   */
  ringMs?: number | ((requestUriParams: Readonly<Record<string, string>>) => number);
  /** Runs the call; the server hangs up and releases media when it resolves. */
  run(session: CallSession, target: RoutedTarget, context: CallContext): Promise<void>;
}
