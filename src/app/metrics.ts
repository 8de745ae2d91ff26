import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** Totals of RTP traffic, summed over live and finished calls. */
export interface RtpTotals {
  packetsIn: number;
  packetsOut: number;
  packetsLost: number;
}

/** openum's Prometheus metrics (one registry per server, so tests can run several). */
export class ServerMetrics {
  readonly registry: Registry;
  /** Calls by how they ended: answered, rejected-403, rejected-404, rejected-503, failed, … */
  readonly calls: Counter<'result'>;
  private readonly finished: RtpTotals = { packetsIn: 0, packetsOut: 0, packetsLost: 0 };

  /** `registry`: shared with the node's other metrics (notifications, MWI); a new one by default. */
  constructor(activeCalls: () => number, liveRtp: () => RtpTotals, registry: Registry = new Registry()) {
    this.registry = registry;
    this.calls = new Counter({ name: 'openum_calls_total', help: 'Incoming calls by result', labelNames: ['result'] as const, registers: [this.registry] });
    collectDefaultMetrics({ register: this.registry, prefix: 'openum_' });
    const finished = this.finished;
    new Gauge({ name: 'openum_active_calls', help: 'Calls in progress', registers: [this.registry], collect() { this.set(activeCalls()); } });
    const rtp = (name: string, help: string, pick: (t: RtpTotals) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(pick(finished) + pick(liveRtp())); } });
    rtp('openum_rtp_packets_in_total', 'RTP packets received', (t) => t.packetsIn);
    rtp('openum_rtp_packets_out_total', 'RTP packets sent', (t) => t.packetsOut);
    rtp('openum_rtp_packets_lost_total', 'RTP packets the peers sent that never arrived', (t) => t.packetsLost);
  }

  /** Adds a finished call's RTP counters to the totals. */
  addFinished(t: RtpTotals): void {
    this.finished.packetsIn += t.packetsIn;
    this.finished.packetsOut += t.packetsOut;
    this.finished.packetsLost += t.packetsLost;
  }
}
