// The Play on Phone call states and failure causes of spec §8, as GetPhoneCallInformation reports them.
// The string values are EWS's (t:PhoneCallState, t:ConnectionFailureCause) and equal http/'s
// PhoneCallState / ConnectionFailureCause literals, which calls/ may not import.

/** Where a Play on Phone call is (spec §8). */
export const PhoneCallState = {
  /** Created, no INVITE sent yet. */
  Idle: 'Idle',
  /** INVITE sent, no ringing reported yet. */
  Connecting: 'Connecting',
  /** A 18x came back: the phone rings. */
  Alerted: 'Alerted',
  /** 2xx: the message is playing. */
  Connected: 'Connected',
  /** Over: hung up, refused, not answered, or ended by the user. */
  Disconnected: 'Disconnected',
} as const;
/** A {@link PhoneCallState} value. */
export type PhoneCallState = (typeof PhoneCallState)[keyof typeof PhoneCallState];

/** Why a Play on Phone call did not connect (spec §8); `None` when it did, or was ended on purpose. */
export const ConnectionFailureCause = {
  None: 'None',
  /** 486 or 600. */
  UserBusy: 'UserBusy',
  /** 408, 480, or nobody answered within the timeout. */
  NoAnswer: 'NoAnswer',
  /** 404, 410, 484, 503, 604. */
  Unavailable: 'Unavailable',
  /** Any other failure. */
  Other: 'Other',
} as const;
/** A {@link ConnectionFailureCause} value. */
export type ConnectionFailureCause = (typeof ConnectionFailureCause)[keyof typeof ConnectionFailureCause];

// Forward only: a call never goes back to ringing. A move to the same state is allowed where a
// repeat is natural (a second 18x, a retry through the next gateway while still Connecting).
const TRANSITIONS: Readonly<Record<PhoneCallState, readonly PhoneCallState[]>> = {
  Idle: ['Connecting', 'Disconnected'],
  Connecting: ['Connecting', 'Alerted', 'Connected', 'Disconnected'],
  Alerted: ['Alerted', 'Connected', 'Disconnected'],
  Connected: ['Disconnected'],
  Disconnected: [],
};

/** Whether spec §8's state machine allows moving from `from` to `to`. */
export function canTransition(from: PhoneCallState, to: PhoneCallState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whether a call in this state still occupies the user's one Play on Phone slot. */
export function isLive(state: PhoneCallState): boolean {
  return state !== PhoneCallState.Disconnected;
}
