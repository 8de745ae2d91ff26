import type { Logger } from 'pino';
import type { OpenumConfiguration, UMDialPlan, UMMailbox } from '../config/index.js';
import type { Directory } from '../directory/index.js';
import type { MessageCounts, MessageStore } from '../mailbox/index.js';
import { formatMessageSummary, MESSAGE_SUMMARY_TYPE } from '../sip/index.js';
import type { IncomingSubscription, NextHop, OutboundRequestOptions, OutboundRequestResult, SipSubscription } from '../sip/index.js';

/** Live subscriptions at most, per mailbox and in all. */
const MAX_SUBSCRIPTIONS_PER_MAILBOX = 8;
const MAX_SUBSCRIPTIONS = 10_000;

/** How the indicator reaches the network (the SIP endpoint, bound once it is listening). */
export interface MwiSignalling {
  sendRequest(options: OutboundRequestOptions): Promise<OutboundRequestResult>;
}

/** What one unsolicited NOTIFY round for a mailbox came to (metrics). */
export type MwiResult = 'ok' | 'failed' | 'no-gateway';

/** Options of {@link MessageWaitingIndicator}. */
export interface MessageWaitingIndicatorOptions {
  configuration: OpenumConfiguration;
  directory: Directory;
  store: MessageStore;
  /** The SIP side; undefined until the endpoint listens (NOTIFYs before that are skipped). */
  signalling: () => MwiSignalling | undefined;
  logger?: Logger;
  /** Told of each unsolicited NOTIFY round and each subscription NOTIFY. */
  onResult?: (result: MwiResult | 'subscription') => void;
  /** Changes within this many ms are sent as one NOTIFY. Default 200. */
  coalesceMs?: number;
  /** First sweep after start, ms (the refresh interval follows). Default 60 s, or the interval if shorter. */
  initialSweepMs?: number;
}

/**
 * The message-waiting indicator of spec §9: when a mailbox's counts change, an unsolicited NOTIFY
 * (`Subscription-State: terminated`) to the first gateway of its dial plan that allows MWI, falling
 * through the list on failure; every mailbox again at least every `MessageWaitingIndicator.RefreshInterval`;
 * and RFC 6665 subscriptions from phones for their own mailbox. Gate: AllowMessageWaitingIndicator.
 */
export class MessageWaitingIndicator {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions = new Map<string, Set<SipSubscription>>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: MessageWaitingIndicatorOptions) {}

  /** Starts the periodic refresh (a first sweep soon after start: a restart may have missed changes). */
  start(): void {
    const interval = this.options.configuration.Server.MessageWaitingIndicator.RefreshInterval * 1000;
    const sweep = () => {
      if (this.closed || this.sweeping) return;
      this.sweeping = this.sweep().finally(() => (this.sweeping = undefined));
    };
    const first = setTimeout(() => {
      sweep();
      this.refreshTimer = setInterval(sweep, interval);
      this.refreshTimer.unref();
    }, Math.min(this.options.initialSweepMs ?? 60_000, interval));
    first.unref();
    this.refreshTimer = first;
  }

  /** A mailbox's counts may have changed: NOTIFY gateways and subscribers shortly (bursts coalesce). */
  changed(alias: string): void {
    if (this.closed) return;
    const mailbox = this.options.directory.findMailbox(alias);
    if (!mailbox || this.pending.has(mailbox.Alias)) return;
    const timer = setTimeout(() => {
      this.pending.delete(mailbox.Alias);
      void this.publish(mailbox).catch((error: unknown) => this.options.logger?.error({ err: error, mailbox: mailbox.Alias }, 'MWI update failed'));
    }, this.options.coalesceMs ?? 200);
    timer.unref();
    this.pending.set(mailbox.Alias, timer);
  }

  /**
   * A SUBSCRIBE from a phone (already admitted: it came through a configured gateway). RFC 3842
   * `message-summary` only; the subscriber (From) must be the mailbox's owner (403 otherwise).
   */
  async subscribe(request: IncomingSubscription, gatewayDialPlans: readonly string[]): Promise<void> {
    if (request.event !== 'message-summary') {
      request.reject(489, { reasonPhrase: 'Bad Event', headers: { 'Allow-Events': 'message-summary' } });
      return;
    }
    const directory = this.options.directory;
    const target = directory.findMailboxByAddress({ user: request.requestUri.user, host: request.requestUri.host, ...phoneContext(request.requestUri.params) }, gatewayDialPlans)
      ?? directory.findMailboxByAddress({ user: request.to.user, host: request.to.host, ...phoneContext(request.to.params) }, gatewayDialPlans);
    if (!target) {
      request.reject(404, { reasonPhrase: 'No Such Mailbox' });
      return;
    }
    const subscriber = directory.findMailboxByAddress({ user: request.from.user, host: request.from.host, ...phoneContext(request.from.params) }, gatewayDialPlans);
    if (subscriber?.mailbox.Alias !== target.mailbox.Alias) {
      this.options.logger?.info({ mailbox: target.mailbox.Alias, from: request.from.uri, callId: request.callId }, 'MWI subscription for another user\'s mailbox refused');
      request.reject(403, { reasonPhrase: 'Not Your Mailbox' });
      return;
    }
    if (!this.allowed(target.mailbox)) {
      request.reject(403, { reasonPhrase: 'Message Waiting Indicator Not Allowed' });
      return;
    }
    // Bounded: subscriptions live in memory (a dialog and a timer each) and every change NOTIFYs them all.
    if (request.requestedExpires !== 0 && this.subscriptionCount() >= MAX_SUBSCRIPTIONS) {
      request.reject(503, { reasonPhrase: 'Too Many Subscriptions', headers: { 'Retry-After': '300' } });
      return;
    }
    const subscription = request.accept({ expires: request.requestedExpires ?? 3600 });
    const alias = target.mailbox.Alias;
    const body = async () => ({ contentType: MESSAGE_SUMMARY_TYPE, content: formatMessageSummary(accountOf(target.mailbox, target.dialPlan, this.options.configuration), await this.counts(alias)) });
    if (request.requestedExpires === 0) {
      // A one-time fetch: the state, then the end.
      await subscription.terminate('timeout', await body());
      this.options.onResult?.('subscription');
      return;
    }
    let set = this.subscriptions.get(alias);
    if (!set) this.subscriptions.set(alias, (set = new Set()));
    // A mailbox has a few phones; beyond that the oldest subscription gives way (final NOTIFY).
    if (set.size >= MAX_SUBSCRIPTIONS_PER_MAILBOX) {
      const oldest = set.values().next().value as SipSubscription;
      set.delete(oldest);
      void oldest.terminate('deactivated').catch(() => undefined);
    }
    set.add(subscription);
    subscription.on('terminated', () => {
      set.delete(subscription);
      if (set.size === 0 && this.subscriptions.get(alias) === set) this.subscriptions.delete(alias);
    });
    subscription.on('refresh', (expires) => {
      const send = async () => (expires === 0 ? subscription.terminate('timeout', await body()) : void (await subscription.notify(await body())));
      send().then(() => this.options.onResult?.('subscription'), (error: unknown) => this.options.logger?.warn({ err: error, mailbox: alias }, 'MWI NOTIFY after refresh failed'));
    });
    await subscription.notify(await body());
    this.options.onResult?.('subscription');
  }

  /** Live subscriptions of a mailbox (for tests and /metrics). */
  subscriptionCount(alias?: string): number {
    if (alias !== undefined) return this.subscriptions.get(alias)?.size ?? 0;
    let n = 0;
    for (const set of this.subscriptions.values()) n += set.size;
    return n;
  }

  /** Stops timers and ends subscriptions (final NOTIFY `reason=deactivated`). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.refreshTimer);
    clearInterval(this.refreshTimer);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    const ending = [...this.subscriptions.values()].flatMap((set) => [...set]).map((s) => s.terminate('deactivated'));
    // A peer that is gone would hold the shutdown for Timer F (32 s): wait two seconds at most.
    let limit: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...ending, this.sweeping]), new Promise((resolve) => (limit = setTimeout(resolve, 2000)))]);
    clearTimeout(limit);
  }

  /**
   * Sends the current counts of one mailbox: unsolicited NOTIFY through its dial plan's gateways, and
   * NOTIFY to each subscriber. Resolves with the unsolicited result (undefined when MWI is not allowed).
   */
  async publish(mailbox: UMMailbox): Promise<MwiResult | undefined> {
    if (!this.allowed(mailbox)) return undefined;
    const dialPlan = this.options.directory.dialPlanOfMailbox(mailbox);
    if (!dialPlan) return undefined;
    const counts = await this.counts(mailbox.Alias);
    const content = formatMessageSummary(accountOf(mailbox, dialPlan, this.options.configuration), counts);
    for (const subscription of this.subscriptions.get(mailbox.Alias) ?? []) {
      void subscription.notify({ contentType: MESSAGE_SUMMARY_TYPE, content }).then(() => this.options.onResult?.('subscription'));
    }
    const result = await this.sendUnsolicited(mailbox, dialPlan, content);
    this.options.onResult?.(result);
    return result;
  }

  private async sendUnsolicited(mailbox: UMMailbox, dialPlan: UMDialPlan, content: string): Promise<MwiResult> {
    const signalling = this.options.signalling();
    const hops = mwiGateways(this.options.configuration, dialPlan.Name);
    if (!signalling || hops.length === 0) return 'no-gateway';
    const user = notifyUser(mailbox, dialPlan);
    for (const hop of hops) {
      const host = hop.address.includes(':') ? `[${hop.address}]` : hop.address;
      const requestUri = user.includes('@') ? `sip:${user}` : `sip:${user}@${host}:${hop.port}${/^\+?\d+$/.test(user) ? ';user=phone' : ''}`;
      try {
        const { statusCode, reasonPhrase } = await signalling.sendRequest({
          method: 'NOTIFY',
          requestUri,
          via: hop,
          from: { uri: `sip:voicemail@${this.options.configuration.Server.Domain}` },
          headers: { Event: 'message-summary', 'Subscription-State': 'terminated' },
          body: { contentType: MESSAGE_SUMMARY_TYPE, content },
        });
        if (statusCode >= 200 && statusCode < 300) return 'ok';
        this.options.logger?.warn({ mailbox: mailbox.Alias, gateway: hop, statusCode, reasonPhrase }, 'MWI NOTIFY refused; trying the next gateway');
      } catch (error) {
        this.options.logger?.warn({ err: error, mailbox: mailbox.Alias, gateway: hop }, 'MWI NOTIFY could not be sent; trying the next gateway');
      }
    }
    return 'failed';
  }

  /** Every mailbox whose policy allows MWI, a few at a time. */
  private async sweep(): Promise<void> {
    const mailboxes = this.options.configuration.UMMailboxes.filter((m) => this.allowed(m));
    let next = 0;
    const worker = async () => {
      while (!this.closed && next < mailboxes.length) {
        const mailbox = mailboxes[next++]!;
        await this.publish(mailbox).catch((error: unknown) => this.options.logger?.warn({ err: error, mailbox: mailbox.Alias }, 'MWI refresh failed'));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  private allowed(mailbox: UMMailbox): boolean {
    return this.options.directory.policyOfMailbox(mailbox)?.AllowMessageWaitingIndicator !== false;
  }

  private counts(alias: string): Promise<MessageCounts> {
    return this.options.store.countMessages(alias);
  }
}

function phoneContext(params: Readonly<Record<string, string>>): { phoneContext?: string } {
  const context = params['phone-context'];
  return context === undefined ? {} : { phoneContext: context };
}

/** The gateways of a dial plan that may carry MWI, in configuration order (spec §9). */
export function mwiGateways(configuration: OpenumConfiguration, dialPlanName: string): NextHop[] {
  return configuration.UMIPGateways
    .filter((g) => g.Status === 'Enabled' && g.MessageWaitingIndicatorAllowed && g.UMDialPlans.some((d) => d.toLowerCase() === dialPlanName.toLowerCase()))
    .map((g) => ({ address: g.Address, port: g.Port, protocol: g.Transport.toLowerCase() as NextHop['protocol'] }));
}

/** Who the NOTIFY is for at the gateway: the SIP address in SIP-URI dial plans (Lync), else the extension. */
function notifyUser(mailbox: UMMailbox, dialPlan: UMDialPlan): string {
  if (dialPlan.URIType === 'SipName' && mailbox.SIPResourceIdentifier) return mailbox.SIPResourceIdentifier;
  return mailbox.Extensions[0] ?? mailbox.Alias;
}

/** `Message-Account`: the user's SIP URI (spec §9). */
function accountOf(mailbox: UMMailbox, dialPlan: UMDialPlan, configuration: OpenumConfiguration): string {
  if (mailbox.SIPResourceIdentifier) return `sip:${mailbox.SIPResourceIdentifier}`;
  return `sip:${mailbox.Extensions[0] ?? mailbox.Alias}@${configuration.Server.Domain};phone-context=${dialPlan.PhoneContext}`;
}
