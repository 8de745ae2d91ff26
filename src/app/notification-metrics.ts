import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { MailOutbox, OutboxStats } from '../mailbox/index.js';
import type { DeliveryResult } from '../notify/index.js';

/** Metrics of the e-mail outbox (spec §4) and of message-waiting NOTIFYs (spec §9). */
export class NotificationMetrics {
  private readonly deliveries: Counter<'kind' | 'result'>;
  private readonly mwi: Counter<'result'>;

  constructor(registry: Registry, outbox: MailOutbox, now: () => number = Date.now) {
    this.deliveries = new Counter({
      name: 'openum_notifications_total',
      help: 'Notification e-mail delivery attempts by kind (voice-mail, missed-call) and result (sent, retried, failed)',
      labelNames: ['kind', 'result'] as const,
      registers: [registry],
    });
    this.mwi = new Counter({
      name: 'openum_mwi_notify_total',
      help: 'Message-waiting NOTIFYs by result (ok, failed, no-gateway, subscription)',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    // One query answers all three gauges: it runs once per scrape (results kept for a second), on the
    // thread that also carries media, so a fast scraper cannot multiply it.
    let cached: { at: number; stats: Promise<OutboxStats | undefined> } | undefined;
    const stat = () => {
      if (cached === undefined || now() - cached.at > 1000) cached = { at: now(), stats: outbox.stats().catch(() => undefined) };
      return cached.stats;
    };
    new Gauge({ name: 'openum_notification_outbox_depth', help: 'Notifications queued and not yet sent', registers: [registry], async collect() {
      const s = await stat();
      if (s) this.set(s.pending);
    } });
    new Gauge({ name: 'openum_notification_outbox_failed', help: 'Notifications given up (kept in the outbox as failed)', registers: [registry], async collect() {
      const s = await stat();
      if (s) this.set(s.failed);
    } });
    new Gauge({ name: 'openum_notification_outbox_oldest_age_seconds', help: 'Age of the oldest queued notification (0 when none)', registers: [registry], async collect() {
      const s = await stat();
      if (s) this.set(s.oldestPendingAt ? Math.max(0, (now() - s.oldestPendingAt.getTime()) / 1000) : 0);
    } });
  }

  /** Counts one delivery attempt. */
  delivery(kind: string, result: DeliveryResult): void {
    this.deliveries.inc({ kind, result });
  }

  /** Counts one MWI NOTIFY. */
  mwiNotify(result: string): void {
    this.mwi.inc({ result });
  }
}
