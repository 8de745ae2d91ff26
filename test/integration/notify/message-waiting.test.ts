// Spec §9 with SIPp as the peers: the unsolicited message-summary NOTIFY a gateway receives when a
// message arrives (with fall-through past a dead gateway) and on the periodic refresh; and RFC 6665
// subscriptions of a phone to its own mailbox (immediate NOTIFY, NOTIFY on change, refresh, Expires: 0),
// with others' mailboxes and unknown event packages refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { runSipp } from '../../support/sipp.js';
import { closedPort, freeUdpPort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait-for.js';

function leaveMessage(openum: OpenumUnderTest, mailbox: string) {
  return runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'leave-message-pound.xml', '-s', '50101', '-key', 'diversion', `${mailbox}@contoso.com`, '-t', 'u1', '-m', '1'], { hardLimitMs: 40000 });
}

/** Runs mwi-subscribe-refused.xml and returns the status it logged. */
async function refusal(openum: OpenumUnderTest, from: string, account: string, event: string, localAddress = '127.0.0.1'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-sipp-'));
  try {
    const log = join(dir, 'refused.log');
    const result = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'mwi-subscribe-refused.xml', '-key', 'from', from, '-key', 'account', account, '-key', 'event', event, '-t', 'u1', '-m', '1', '-trace_logs', '-log_file', log], { hardLimitMs: 30000, localAddress });
    expect(ok(result)).toEqual({ code: 0, output: '' });
    return /refused with (\d{3})/.exec(readFileSync(log, 'utf8'))?.[1] ?? 'nothing logged';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ok = (r: { code: number | null; output: string }) => ({ code: r.code, output: r.code === 0 ? '' : r.output });

/** SIPp as the gateway for one NOTIFY (mwi-gateway-notify.xml); resolves with what the body said. */
async function gatewayNotify(port: number): Promise<{ account: string; voice: string; waiting: string; ruri: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-sipp-'));
  try {
    const log = join(dir, 'mwi.log');
    const result = await runSipp(['-sf', 'mwi-gateway-notify.xml', '-p', String(port), '-m', '1', '-trace_logs', '-log_file', log], { hardLimitMs: 40000 });
    expect(ok(result)).toEqual({ code: 0, output: '' });
    const m = /notify account=(\S+) voice=(\d+\/\d+ \(\d+\/\d+\)) waiting=(\w+) ruri=(\S+)/.exec(readFileSync(log, 'utf8'));
    if (!m) throw new Error(`SIPp logged no NOTIFY: ${readFileSync(log, 'utf8')}`);
    return { account: m[1]!, voice: m[2]!, waiting: m[3]!, ruri: m[4]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lets a SIPp UAS started just before bind its port. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('unsolicited message-waiting NOTIFY to the gateway', () => {
  test('a new message NOTIFYs the first MWI gateway that answers (a dead TCP gateway first is skipped)', async () => {
    const dead = await closedPort();
    const live = await freeUdpPort();
    const openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(3), mwiGateways: [{ port: dead, transport: 'TCP' }, { port: live, transport: 'UDP' }] }));
    try {
      const gateway = gatewayNotify(live);
      await settle();
      const outcome = openum.nextOutcome(40000);
      expect(ok(await leaveMessage(openum, 'kim'))).toEqual({ code: 0, output: '' });
      await (await outcome).message!.delivered;
      // TelExtn dial plan: the NOTIFY is addressed to the extension at the gateway.
      expect(await gateway).toEqual({ account: 'sip:kim@contoso.com', voice: '1/0 (0/0)', waiting: 'yes', ruri: `sip:50101@127.0.0.1:${live};user=phone` });
      const metrics = await (await fetch(`http://127.0.0.1:${openum.server.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/openum_mwi_notify_total\{result="ok"\} 1/);
    } finally {
      await openum.stop();
    }
  }, 60000);

  test('a refresh sends every mailbox\'s counts; a policy without AllowMessageWaitingIndicator is left out; reading a message turns the lamp off', async () => {
    const live = await freeUdpPort();
    const openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(3), mwiGateways: [{ port: live, transport: 'UDP' }] }));
    try {
      // SIPp answers each NOTIFY: an unanswered one would be retransmitted over UDP for 32 s and could
      // reach the next SIPp first.
      const delivered = gatewayNotify(live);
      await settle();
      const outcome = openum.nextOutcome(40000);
      expect(ok(await leaveMessage(openum, 'erin'))).toEqual({ code: 0, output: '' });
      const stored = await (await outcome).message!.delivered;
      expect(await delivered).toMatchObject({ account: 'sip:erin@contoso.com', voice: '1/0 (0/0)', waiting: 'yes' });
      // A refresh of a mailbox without messages says so.
      const refresh = gatewayNotify(live);
      await settle();
      expect(await openum.node.mwi.publish(openum.node.mailboxes.mailbox('kim'))).toBe('ok');
      expect(await refresh).toMatchObject({ account: 'sip:kim@contoso.com', voice: '0/0 (0/0)', waiting: 'no' });
      await openum.node.store.setMessageState(stored.id, 'read');
      const gateway = gatewayNotify(live);
      await settle();
      await openum.node.mwi.publish(openum.node.mailboxes.mailbox('erin'));
      expect(await gateway).toMatchObject({ voice: '0/1 (0/0)', waiting: 'no' });
      // max's policy (Quiet) forbids MWI: nothing is sent.
      expect(await openum.node.mwi.publish(openum.node.mailboxes.mailbox('max'))).toBeUndefined();
    } finally {
      await openum.stop();
    }
  }, 90000);
});

describe('MWI subscriptions of phones (RFC 6665)', () => {
  let openum: OpenumUnderTest;
  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(3) }));
  });
  afterAll(async () => openum?.stop());

  test('subscribe to one\'s own mailbox: immediate NOTIFY, NOTIFY when a message arrives, refresh, unsubscribe', async () => {
    const phone = runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'mwi-subscribe.xml', '-key', 'account', 'kim@contoso.com', '-t', 'u1', '-m', '1'], { hardLimitMs: 60000 });
    await waitFor('the subscription', () => openum.node.mwi.subscriptionCount('kim') === 1);
    const outcome = openum.nextOutcome(40000);
    expect(ok(await leaveMessage(openum, 'kim'))).toEqual({ code: 0, output: '' });
    await (await outcome).message!.delivered;
    expect(ok(await phone)).toEqual({ code: 0, output: '' });
    await waitFor('the subscription to end', () => openum.node.mwi.subscriptionCount('kim') === 0);
  }, 90000);

  test('a one-time fetch (Expires: 0) gets one final NOTIFY with the counts, and leaves no subscription', async () => {
    expect(ok(await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'mwi-fetch.xml', '-key', 'account', 'erin@contoso.com', '-t', 'u1', '-m', '1'], { hardLimitMs: 30000 }))).toEqual({ code: 0, output: '' });
    expect(openum.node.mwi.subscriptionCount('erin')).toBe(0);
  }, 40000);

  test('a subscription not refreshed expires with a final NOTIFY (reason=timeout)', async () => {
    const phone = runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'mwi-subscribe-expiry.xml', '-key', 'account', 'erin@contoso.com', '-t', 'u1', '-m', '1'], { hardLimitMs: 30000 });
    await waitFor('the subscription', () => openum.node.mwi.subscriptionCount('erin') === 1);
    expect(ok(await phone)).toEqual({ code: 0, output: '' });
    await waitFor('the subscription to be forgotten', () => openum.node.mwi.subscriptionCount('erin') === 0, 5000);
  }, 40000);

  test.each([
    ['another user\'s mailbox', 'kim@contoso.com', 'erin@contoso.com', 'message-summary', '403'],
    ['an unknown event package', 'kim@contoso.com', 'kim@contoso.com', 'presence', '489'],
    ['a mailbox that does not exist', 'nobody@contoso.com', 'nobody@contoso.com', 'message-summary', '404'],
    ['a mailbox whose policy forbids MWI', 'max@contoso.com', 'max@contoso.com', 'message-summary', '403'],
  ])('a SUBSCRIBE for %s is refused', async (_name, from, account, event, status) => {
    expect(await refusal(openum, from, account, event)).toBe(status);
    expect(openum.node.mwi.subscriptionCount()).toBe(0);
  }, 40000);

  test('a SUBSCRIBE from a source that is not a gateway gets 403', async () => {
    expect(await refusal(openum, 'kim@contoso.com', 'kim@contoso.com', 'message-summary', '127.0.0.2')).toBe('403');
  }, 40000);
});
