// Spec §9 with a real phone: baresip (mwi module) registers with Kamailio, which, like the PBX of a real
// deployment, sends its message-summary SUBSCRIBE to openum (Kamailio's 127.0.0.1 is openum's gateway)
// and record-routes, so the dialog's later requests pass through it both ways. A message left for kim
// (SIPp, straight to openum) must turn the phone's indicator on.
import type { RunningBaresipMwi } from '../../support/baresip-mwi.js';
import { startBaresipMwi, stripAnsi } from '../../support/baresip-mwi.js';
import { freeUdpPort } from '../../support/free-port.js';
import type { RunningKamailio } from '../../support/kamailio.js';
import { startKamailio } from '../../support/kamailio.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { runSipp } from '../../support/sipp.js';

async function waitFor(what: string, probe: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('baresip\'s message-waiting indicator through Kamailio', () => {
  let openum: OpenumUnderTest;
  let kamailio: RunningKamailio;
  let phone: RunningBaresipMwi;
  const context = () => `--- baresip ---\n${phone?.log().slice(-6000)}\n--- kamailio ---\n${kamailio?.log().slice(-4000)}`;
  const bodies = () => phone.notices().filter((n) => n.aor === 'sip:kim@contoso.com').map((n) => n.lines);

  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(5) }));
    kamailio = await startKamailio({ port: await freeUdpPort(), openumPort: openum.udpPort });
    phone = startBaresipMwi({ proxyPort: kamailio.port, sipTrace: true });
  }, 30000);

  afterAll(async () => {
    // The phone first: it un-subscribes and un-registers while both servers still answer.
    await phone?.stop();
    await kamailio?.stop();
    await openum?.stop();
  }, 20000);

  test('the phone subscribes after registering, sees 0/0, and sees 1/0 once a message is left', async () => {
    await waitFor('the first MWI notice', () => bodies().length > 0, 20000, context);
    expect(bodies()[0]).toEqual(expect.arrayContaining(['Messages-Waiting: no', expect.stringMatching(/^Voice-Message: 0\/0( |$)/)]));
    expect(openum.node.mwi.subscriptionCount('kim')).toBe(1);

    const seen = bodies().length;
    const outcome = openum.nextOutcome(40000);
    const left = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'leave-message-pound.xml', '-s', '50101', '-key', 'diversion', 'kim@contoso.com', '-t', 'u1', '-m', '1'], { hardLimitMs: 40000 });
    expect({ code: left.code, output: left.code === 0 ? '' : left.output }).toEqual({ code: 0, output: '' });
    await (await outcome).message!.delivered;

    await waitFor('the MWI notice of the new message', () => bodies().length > seen, 15000, context);
    expect(bodies()[seen]).toEqual(expect.arrayContaining(['Messages-Waiting: yes', expect.stringMatching(/^Voice-Message: 1\/0( |$)/)]));
    // openum's NOTIFYs followed the Record-Route of the SUBSCRIBE through Kamailio.
    expect(kamailio.log()).toMatch(/kamailio: NOTIFY sip:kim-/);
  }, 60000);

  test('the phone\'s un-SUBSCRIBE also passes Kamailio: openum\'s 200 to the SUBSCRIBE copies its Record-Route', async () => {
    // RFC 3261 §12.1.1: the UAS copies Record-Route into the 2xx that creates the dialog, so that the
    // subscriber's route set (refreshes, un-SUBSCRIBE) goes through the proxy as well.
    await phone.stop();
    await waitFor('the subscription to end', () => openum.node.mwi.subscriptionCount('kim') === 0, 10000, context);
    const response = /SIP\/2\.0 200 OK\r?\n(?:[^\r\n]+\r?\n)*?CSeq: \d+ SUBSCRIBE\r?\n(?:[^\r\n]+\r?\n)*?\r?\n/.exec(stripAnsi(phone.log()));
    expect(response?.[0]).toMatch(/^Record-Route: /m);
    // The un-SUBSCRIBE is addressed to openum's Contact; Kamailio logs every request it routes.
    expect(kamailio.log()).toMatch(new RegExp(`kamailio: SUBSCRIBE sip:openum@127\\.0\\.0\\.1:${openum.udpPort}`));
  }, 30000);
});
