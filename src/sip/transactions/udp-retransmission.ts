import type { Logger } from 'pino';
import type { MessageSummary } from '../messages/message-summary.js';
import { sentBy } from '../messages/via.js';
import type { SipTimerSettings } from '../timers/sip-timer-settings.js';
import type { TimerHandle, TimerScheduler } from '../timers/timer-scheduler.js';
import type { Destination } from '../transport/transport-types.js';
import { FinalResponseCache } from './final-response-cache.js';

/** Options of {@link UdpRetransmission}. */
export interface UdpRetransmissionOptions {
  /** Clock. */
  timers: TimerScheduler;
  /** T1, T2, T4. */
  settings: SipTimerSettings;
  /** Logger. */
  logger: Logger;
  /** Put a retransmission on the wire. */
  transmit(destination: Destination, data: string): void;
  /** Timer B or F fired: the owner delivers a 408 for `request` to the transaction user. */
  requestTimedOut(request: string): void;
  /** Cap on cached final responses (default 10,000). */
  maxCachedResponses?: number;
}

/** Verdict on a received message. */
export type ReceiveVerdict = 'pass' | 'absorbed';

interface ClientTransaction {
  invite: boolean;
  data: string;
  destination: Destination;
  interval: number;
  proceeding: boolean;
  retransmitTimer: TimerHandle | undefined;
  timeoutTimer: TimerHandle | undefined;
}

interface ServerInviteRetransmission {
  data: string;
  destination: Destination;
  interval: number;
  timerG: TimerHandle | undefined;
  timerH: TimerHandle | undefined;
}

interface CompletedInvite {
  ack: { data: string; destination: Destination } | undefined;
  timerD: TimerHandle;
}

/**
 * The RFC 3261 §17 UDP retransmission duties the SIP.js core leaves out, kept beside it on the wire path:
 * - client INVITE: Timer A (T1, doubling) until any response, Timer B (64·T1) → 408;
 * - client non-INVITE: Timer E (T1, doubling, capped at T2; T2 once provisional) until a final, Timer F → 408;
 * - client INVITE completed with a non-2xx: re-send our ACK for retransmitted finals (Timer D);
 * - server INVITE non-2xx final: Timer G (T1, doubling, capped at T2) until the ACK, Timer H (64·T1);
 * - server final responses cached per transaction for 64·T1 and replayed on retransmitted requests (Timer J).
 */
export class UdpRetransmission {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly serverInvites = new Map<string, ServerInviteRetransmission>();
  private readonly completedInvites = new Map<string, CompletedInvite>();
  private readonly timedOutInvites = new Map<string, TimerHandle>();
  private readonly responses: FinalResponseCache;
  private readonly timers: TimerScheduler;
  private readonly t1: number;
  private readonly t2: number;
  private closed = false;

  constructor(private readonly options: UdpRetransmissionOptions) {
    this.timers = options.timers;
    this.t1 = options.settings.t1;
    this.t2 = options.settings.t2;
    this.responses = new FinalResponseCache(options.timers, 64 * this.t1, options.maxCachedResponses ?? 10_000);
  }

  /** Outstanding client transactions being retransmitted. */
  get pendingClientTransactions(): number {
    return this.clients.size;
  }

  /** Cached final responses. */
  get cachedResponses(): number {
    return this.responses.size;
  }

  /**
   * A request is about to go out. Starts Timer A/B or E/F; returns 'drop' for the ACK the core generates
   * for the synthetic 408 of a timed-out INVITE (the peer never answered, so there is nothing to ACK).
   */
  sendingRequest(summary: MessageSummary, data: string, destination: Destination): 'send' | 'drop' {
    if (this.closed || summary.branch === '') return 'send';
    if (summary.method === 'ACK') {
      const timedOut = this.timedOutInvites.get(summary.branch);
      if (timedOut !== undefined) {
        this.timers.clearTimeout(timedOut);
        this.timedOutInvites.delete(summary.branch);
        return 'drop';
      }
      const completed = this.completedInvites.get(summary.branch);
      if (completed) completed.ack = { data, destination };
      return 'send';
    }
    const invite = summary.method === 'INVITE';
    const key = clientKey(summary.branch, summary.method);
    this.stopClient(key);
    const transaction: ClientTransaction = {
      invite, data, destination, interval: this.t1, proceeding: false, retransmitTimer: undefined, timeoutTimer: undefined,
    };
    this.clients.set(key, transaction);
    transaction.retransmitTimer = this.timers.setTimeout(() => this.retransmitRequest(key), this.t1);
    transaction.timeoutTimer = this.timers.setTimeout(() => this.requestTimeout(key, summary.branch), 64 * this.t1);
    return 'send';
  }

  /** A response arrived. Stops client timers; answers a retransmitted non-2xx final with our cached ACK. */
  receivedResponse(summary: MessageSummary): ReceiveVerdict {
    if (this.closed) return 'pass';
    const key = clientKey(summary.branch, summary.method);
    const transaction = this.clients.get(key);
    const final = summary.statusCode >= 200;
    if (transaction) {
      if (transaction.invite || final) {
        // RFC 3261 §17.1.1.2: any response stops Timer A and B; §17.1.2.2: a final stops E and F.
        this.stopClient(key);
      } else {
        transaction.proceeding = true;
      }
      if (transaction.invite && summary.statusCode >= 300) this.rememberCompletedInvite(summary.branch);
      return 'pass';
    }
    if (summary.method === 'INVITE' && summary.statusCode >= 300) {
      const completed = this.completedInvites.get(summary.branch);
      if (completed?.ack) {
        this.options.transmit(completed.ack.destination, completed.ack.data);
        return 'absorbed';
      }
    }
    return 'pass';
  }

  /** A response is about to go out. Caches finals (Timer J) and starts Timer G/H for non-2xx INVITE finals. */
  sendingResponse(summary: MessageSummary, data: string, destination: Destination): void {
    if (this.closed || summary.statusCode < 200 || !summary.topVia || summary.branch === '') return;
    const invite = summary.method === 'INVITE';
    // A 2xx to INVITE is retransmitted by the dialog until the ACK (SIP.js session-dialog); not ours.
    if (invite && summary.statusCode < 300) return;
    const key = serverKey(summary.branch, sentBy(summary.topVia), summary.method);
    this.responses.set(key, { data, destination });
    if (!invite) return;
    this.stopServerInvite(key);
    const entry: ServerInviteRetransmission = { data, destination, interval: this.t1, timerG: undefined, timerH: undefined };
    this.serverInvites.set(key, entry);
    entry.timerG = this.timers.setTimeout(() => this.retransmitResponse(key), this.t1);
    entry.timerH = this.timers.setTimeout(() => {
      this.options.logger.info({ branch: summary.branch }, 'Timer H: no ACK for a non-2xx final response to INVITE');
      this.stopServerInvite(key);
    }, 64 * this.t1);
  }

  /** A request arrived. Replays a cached final for a retransmission ('absorbed'); an ACK stops Timer G. */
  receivedRequest(summary: MessageSummary): ReceiveVerdict {
    if (this.closed || !summary.topVia || summary.branch === '') return 'pass';
    const via = sentBy(summary.topVia);
    if (summary.method === 'ACK') {
      this.stopServerInvite(serverKey(summary.branch, via, 'INVITE'));
      return 'pass';
    }
    const cached = this.responses.get(serverKey(summary.branch, via, summary.method));
    if (!cached) return 'pass';
    this.options.logger.debug({ branch: summary.branch, method: summary.method }, 'retransmitted request: replaying final response');
    this.options.transmit(cached.destination, cached.data);
    return 'absorbed';
  }

  /** Stop every timer and forget all state. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const key of [...this.clients.keys()]) this.stopClient(key);
    for (const key of [...this.serverInvites.keys()]) this.stopServerInvite(key);
    for (const completed of this.completedInvites.values()) this.timers.clearTimeout(completed.timerD);
    this.completedInvites.clear();
    for (const timer of this.timedOutInvites.values()) this.timers.clearTimeout(timer);
    this.timedOutInvites.clear();
    this.responses.clear();
  }

  private retransmitRequest(key: string): void {
    const transaction = this.clients.get(key);
    if (!transaction) return;
    this.options.transmit(transaction.destination, transaction.data);
    if (transaction.invite) {
      transaction.interval *= 2; // §17.1.1.2: Timer A doubles with no cap
    } else {
      // §17.1.2.2: E doubles up to T2 while Trying and is T2 once Proceeding.
      transaction.interval = transaction.proceeding ? this.t2 : Math.min(2 * transaction.interval, this.t2);
    }
    transaction.retransmitTimer = this.timers.setTimeout(() => this.retransmitRequest(key), transaction.interval);
  }

  private requestTimeout(key: string, branch: string): void {
    const transaction = this.clients.get(key);
    if (!transaction) return;
    this.stopClient(key);
    this.options.logger.info({ branch }, transaction.invite ? 'Timer B: INVITE timed out' : 'Timer F: request timed out');
    if (transaction.invite) {
      // The core ACKs the synthetic 408 (perhaps after DNS); remember the branch long enough to drop it.
      const forget = this.timers.setTimeout(() => this.timedOutInvites.delete(branch), 64 * this.t1);
      this.timedOutInvites.set(branch, forget);
    }
    this.options.requestTimedOut(transaction.data);
  }

  private retransmitResponse(key: string): void {
    const entry = this.serverInvites.get(key);
    if (!entry) return;
    this.options.transmit(entry.destination, entry.data);
    entry.interval = Math.min(2 * entry.interval, this.t2); // §17.2.1: G doubles up to T2
    entry.timerG = this.timers.setTimeout(() => this.retransmitResponse(key), entry.interval);
  }

  private rememberCompletedInvite(branch: string): void {
    const previous = this.completedInvites.get(branch);
    if (previous) this.timers.clearTimeout(previous.timerD);
    const timerD = this.timers.setTimeout(() => this.completedInvites.delete(branch), 64 * this.t1);
    this.completedInvites.set(branch, { ack: undefined, timerD });
  }

  private stopClient(key: string): void {
    const transaction = this.clients.get(key);
    if (!transaction) return;
    if (transaction.retransmitTimer !== undefined) this.timers.clearTimeout(transaction.retransmitTimer);
    if (transaction.timeoutTimer !== undefined) this.timers.clearTimeout(transaction.timeoutTimer);
    this.clients.delete(key);
  }

  private stopServerInvite(key: string): void {
    const entry = this.serverInvites.get(key);
    if (!entry) return;
    if (entry.timerG !== undefined) this.timers.clearTimeout(entry.timerG);
    if (entry.timerH !== undefined) this.timers.clearTimeout(entry.timerH);
    this.serverInvites.delete(key);
  }
}

function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

function serverKey(branch: string, via: string, method: string): string {
  return `${branch}|${via}|${method}`;
}
