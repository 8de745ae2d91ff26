// Spec §4 "delivery must never lose a message": with the SMTP server down, notifications wait in the
// outbox and are retried; after an openum restart and the server's return, each arrives exactly once.
// Permanent refusals and expiry give a notification up without retrying forever.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { simpleParser } from 'mailparser';
import { loadConfigurationText } from '../../../src/config/index.js';
import type { OpenumConfiguration } from '../../../src/config/index.js';
import { Directory } from '../../../src/directory/index.js';
import { openMessageStore } from '../../../src/mailbox/index.js';
import type { MessageStore } from '../../../src/mailbox/index.js';
import { createMailTransport, NotificationOutbox } from '../../../src/notify/index.js';
import type { DeliveryResult } from '../../../src/notify/index.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { runSipp } from '../../support/sipp.js';
import { closedPort } from '../../support/free-port.js';
import { startSmtpListener } from '../../support/smtp-listener.js';
import { waitFor } from '../../support/wait-for.js';

function call(openum: OpenumUnderTest, scenario: string, mailbox: string) {
  return runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', scenario, '-s', '50101', '-key', 'diversion', `${mailbox}@contoso.com`, '-t', 'u1', '-m', '1'], { hardLimitMs: 40000 });
}

const smtpMail = (port: number) => `{ Kind: smtp, Host: 127.0.0.1, Port: ${port}, Secure: none, RetryInterval: 1, MaxRetryInterval: 2 }`;

describe('the outbox while the SMTP server is down', () => {
  test('messages and a missed call left while SMTP is down arrive exactly once after openum restarts and SMTP comes back', async () => {
    const port = await closedPort();
    const yaml = testSiteYaml({ rtpPortMin: rtpPortBase(2), mail: smtpMail(port) });
    const folder = mkdtempSync(join(tmpdir(), 'openum-outbox-'));
    let openum: OpenumUnderTest | undefined = await startOpenum(yaml, { directory: folder });
    const smtp = { stop: async () => undefined, received: [] as { to: string[]; data: Buffer }[] };
    try {
      const callIds: string[] = [];
      const messageIds: string[] = [];
      for (const scenario of ['leave-message-pound.xml', 'leave-message-pound.xml', 'hang-up-during-greeting.xml']) {
        const outcome = openum.nextOutcome(40000);
        expect((await call(openum, scenario, 'kim')).code).toBe(0);
        const o = await outcome;
        callIds.push(o.callId);
        if (o.message) messageIds.push((await o.message.delivered).id);
      }
      expect(messageIds).toHaveLength(2);
      const ids = [...messageIds.map((id) => `voice-mail:${id}`), `missed-call:${callIds[2]}`];
      const store = openum.node.store;
      // Every notification has failed at least once (connection refused) and waits for its retry.
      await waitFor('failed attempts', async () => {
        const entries = await Promise.all(ids.map((id) => store.outbox.get(id)));
        return entries.every((e) => e && e.state === 'pending' && e.attempts >= 1) ? entries : undefined;
      });
      const metrics = await (await fetch(`http://127.0.0.1:${openum.server.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/openum_notifications_total\{kind="voice-mail",result="retried"\} [1-9]/);
      expect(metrics).toMatch(/openum_notification_outbox_depth 3/);
      await openum.stop();
      openum = undefined;

      const listener = await startSmtpListener({}, port);
      Object.assign(smtp, listener);
      openum = await startOpenum(yaml, { directory: folder });
      const restarted = openum;
      await waitFor('three e-mails', async () => (listener.received.length >= 3 ? true : undefined));
      await waitFor('the outbox to be empty', async () => ((await restarted.node.store.outbox.stats()).pending === 0 ? true : undefined));
      // Later retries would have come within 2 s: nothing more arrives.
      await new Promise((r) => setTimeout(r, 2500));
      expect(listener.received).toHaveLength(3);
      const parsed = await Promise.all(listener.received.map((r) => simpleParser(r.data)));
      expect(new Set(parsed.map((p) => p.messageId)).size).toBe(3);
      expect(listener.received.every((r) => r.to.join() === 'kim@contoso.com')).toBe(true);
      const voiceMails = parsed.filter((p) => p.headers.get('content-class') === 'voice-ca');
      expect(voiceMails).toHaveLength(2);
      expect(parsed.filter((p) => p.headers.get('content-class') === 'missedcall')).toHaveLength(1);
      for (const id of messageIds) {
        const mail = voiceMails.find((p) => p.messageId?.includes(id));
        const stored = (await restarted.node.store.getMessage(id))!;
        expect(mail!.attachments[0]!.content.equals(await readFile(restarted.node.mailboxes.audioFilePath(stored)))).toBe(true);
      }
      for (const id of ids) expect(await restarted.node.store.outbox.get(id)).toMatchObject({ state: 'sent' });
    } finally {
      await openum?.stop();
      await smtp.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120000);
});

describe('NotificationOutbox giving up', () => {
  let folder: string;
  let store: MessageStore;
  let configuration: OpenumConfiguration;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'openum-outbox-'));
  });
  afterEach(async () => {
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function setUp(port: number): Promise<void> {
    const yaml = testSiteYaml({ rtpPortMin: rtpPortBase(2), mail: `{ Kind: smtp, Host: 127.0.0.1, Port: ${port}, Secure: none, RetryInterval: 1, MaxRetryInterval: 1, MessageExpirationTimeout: 60 }` });
    const loaded = loadConfigurationText(yaml, join(folder, 'openum.yaml'));
    configuration = loaded.configuration!;
    store = await openMessageStore(configuration);
  }

  function outbox(now: () => Date, results: DeliveryResult[]): NotificationOutbox {
    return new NotificationOutbox({
      configuration,
      directory: new Directory(configuration),
      store,
      audioPath: () => '/nonexistent',
      transport: createMailTransport(configuration.Server.Mail),
      logger: pino({ level: 'silent' }),
      pollIntervalMs: 50,
      onResult: (_kind, result) => results.push(result),
      now,
    });
  }

  const missed = { mailbox: 'kim', caller: { id: '+14255550100', isNumber: true }, receivedAt: new Date() };

  test('an SMTP 550 for the recipient gives the notification up at once', async () => {
    const listener = await startSmtpListener({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
      },
    });
    try {
      await setUp(listener.port);
      const results: DeliveryResult[] = [];
      const o = outbox(() => new Date(), results);
      o.start();
      expect(await o.enqueueMissedCall({ ...missed, callId: 'refused@gw' })).toBe(true);
      const entry = await waitFor('failed', async () => {
        const e = await store.outbox.get('missed-call:refused@gw');
        return e?.state === 'failed' ? e : undefined;
      });
      await o.close();
      expect(entry).toMatchObject({ attempts: 1 });
      expect(entry.lastError).toMatch(/OPENUM_NOTIFY_DELIVERY_PERMANENT/);
      expect(results).toEqual(['failed']);
      expect(listener.received).toHaveLength(0);
    } finally {
      await listener.stop();
    }
  }, 30000);

  test('an unreachable server is retried until MessageExpirationTimeout, then the notification is given up', async () => {
    await setUp(await closedPort());
    let offset = 0;
    const results: DeliveryResult[] = [];
    const o = outbox(() => new Date(Date.now() + offset), results);
    o.start();
    await o.enqueueMissedCall({ ...missed, callId: 'expires@gw' });
    await waitFor('a retry', async () => ((await store.outbox.get('missed-call:expires@gw'))!.attempts >= 1 ? true : undefined));
    expect(results[0]).toBe('retried');
    // Sixty seconds later (MessageExpirationTimeout: 60) the next failure is the last.
    offset = 61_000;
    const entry = await waitFor('expiry', async () => {
      const e = await store.outbox.get('missed-call:expires@gw');
      return e?.state === 'failed' ? e : undefined;
    });
    await o.close();
    expect(results.at(-1)).toBe('failed');
    expect(entry.attempts).toBeGreaterThanOrEqual(2);
  }, 30000);

  test('a voice-mail notification whose message no longer exists is given up, not retried', async () => {
    await setUp(await closedPort());
    const results: DeliveryResult[] = [];
    const o = outbox(() => new Date(), results);
    await store.outbox.enqueue({ id: 'voice-mail:gone', kind: 'voice-mail', mailbox: 'kim', payload: { messageId: '00000000-0000-4000-8000-000000000000' } });
    o.start();
    const entry = await waitFor('failed', async () => {
      const e = await store.outbox.get('voice-mail:gone');
      return e?.state === 'failed' ? e : undefined;
    });
    await o.close();
    expect(entry.lastError).toMatch(/no longer exists/);
    expect(results).toEqual(['failed']);
  }, 30000);
});
