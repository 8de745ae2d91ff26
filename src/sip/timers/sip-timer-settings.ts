/** RFC 3261 §17.1.1.1 base timer values, in milliseconds. */
export interface SipTimerSettings {
  /** RTT estimate; first retransmission interval. */
  t1: number;
  /** Cap on the retransmission interval of non-INVITE requests and INVITE responses. */
  t2: number;
  /** Maximum time a message remains in the network. */
  t4: number;
}

/** The RFC 3261 defaults: T1 = 500 ms, T2 = 4 s, T4 = 5 s. */
export const DEFAULT_SIP_TIMERS: Readonly<SipTimerSettings> = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });
