// Issue 6 end to end on a running openum: a caller leaves a message (SIPp as the gateway), the user
// finds EWS through Autodiscover with ews-javascript-api, lists the voicemail folder, and plays the
// message on a phone (SIPp as the phone; the audio openum sends is captured and compared). The same
// through the JSON API with a bearer token, and the same user's refusals.
import { rmSync } from 'node:fs';
import {
  AutodiscoverService,
  ExchangeService,
  ExchangeVersion,
  FolderId,
  ItemView,
  Uri,
  UserSettingName,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { bestAlignment, readMulawWav } from '../../support/audio-compare.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { startOpenum } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { deliverMessage, playOnPhoneSiteYaml, RtpCapture, startSippPhone } from '../../support/play-on-phone-setup.js';
import { runSipp } from '../../support/sipp.js';
import { waitFor } from '../../support/wait-for.js';

const MESSAGE = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));
const PASSWORD = 'correct horse battery';
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';

function soap(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="${M}" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><s:Header><t:RequestServerVersion Version="Exchange2010_SP1"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

const basic = (user: string, password = PASSWORD) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function ews(url: string, body: string, authorization = basic('kim')): Promise<string> {
  const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', authorization }, body: soap(body) });
  expect(reply.status).toBe(200);
  return reply.text();
}

describe('Play on Phone through a running openum', () => {
  let openum: OpenumUnderTest | undefined;
  let capture: RtpCapture | undefined;
  let phone: Awaited<ReturnType<typeof startSippPhone>> | undefined;

  afterEach(async () => {
    phone?.kill();
    capture?.close();
    const dir = openum?.directory;
    await openum?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    openum = undefined;
  });

  async function setUp(maxCalls?: number): Promise<{ openum: OpenumUnderTest; base: string; messageId: string }> {
    capture = await RtpCapture.open();
    phone = await startSippPhone('pop-answer.xml', { keys: { rtp_port: String(capture.port) } });
    const yaml = playOnPhoneSiteYaml('./data', [{ name: 'Phone', port: phone.port }]);
    openum = await startOpenum(maxCalls === undefined ? yaml : yaml.replace('Server:\n', `Server:\n  MaxCallsAllowed: ${maxCalls}\n`));
    const outcome = openum.nextOutcome(40000);
    const left = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'leave-message-pound.xml', '-s', '50101', '-key', 'diversion', 'kim@contoso.com', '-t', 'u1', '-m', '1'], { hardLimitMs: 40000 });
    expect(left.code).toBe(0);
    const message = await (await outcome).message!.delivered;
    await openum.node.store.credentials.setPassword('kim', PASSWORD);
    return { openum, base: `http://127.0.0.1:${openum.server.httpPort}`, messageId: message.id };
  }

  test('ews-javascript-api finds EWS by Autodiscover and lists the message; PlayOnPhone plays it to the phone', async () => {
    const { base, messageId } = await setUp();
    const autodiscover = new AutodiscoverService(new Uri(`${base}/autodiscover/autodiscover.svc`), ExchangeVersion.Exchange2010_SP1);
    autodiscover.Credentials = new WebCredentials('kim', PASSWORD);
    const settings = await autodiscover.GetUserSettings('kim@contoso.com', [UserSettingName.ExternalEwsUrl]);
    const ewsUrl = settings.GetSettingValue<string>(UserSettingName.ExternalEwsUrl);
    expect(ewsUrl).toBe(`${base}/EWS/Exchange.asmx`);

    const service = new ExchangeService(ExchangeVersion.Exchange2010_SP1);
    service.Credentials = new WebCredentials('kim@contoso.com', PASSWORD);
    service.Url = new Uri(ewsUrl);
    const found = await service.FindItems(new FolderId(WellKnownFolderName.VoiceMail), new ItemView(10));
    expect(found.TotalCount).toBe(1);
    const item = found.Items[0]!;
    expect(item.Subject).toMatch(/^Voice Mail from \+12065550100 \(\d+ seconds\)$/);

    // The library's UnifiedMessaging methods are stubs ("Not implemented"): the SOAP goes by hand.
    const started = await ews(ewsUrl, `<m:PlayOnPhone><m:ItemId Id="${item.Id.UniqueId}"/><m:DialString>425-555-1234</m:DialString></m:PlayOnPhone>`);
    expect(started).toContain('ResponseClass="Success"');
    const phoneCallId = /PhoneCallId Id="([^"]+)"/.exec(started)![1]!;
    const state = async () => /<t:PhoneCallState>(\w+)<\/t:PhoneCallState>/.exec(await ews(ewsUrl, `<m:GetPhoneCallInformation><m:PhoneCallId Id="${phoneCallId}"/></m:GetPhoneCallInformation>`))![1];
    const seen = new Set<string>();
    await waitFor('Disconnected', async () => {
      const s = await state();
      seen.add(s!);
      return s === 'Disconnected' ? s : undefined;
    }, 30000);
    expect(seen.has('Connected') || seen.has('Alerted') || seen.has('Connecting')).toBe(true);
    const done = await phone!.done;
    expect({ code: done.code, output: done.code === 0 ? '' : done.output }).toEqual({ code: 0, output: '' });
    // What the phone heard is the stored message (which is what the caller said).
    const stored = (await openum!.node.store.getMessage(messageId))!;
    expect(stored.mailbox).toBe('kim');
    expect(bestAlignment(MESSAGE, capture!.pcmuSamples(), 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }, 90000);

  test('the JSON API with a bearer token: list, audio, play on phone, call state; others are refused', async () => {
    const { base, messageId } = await setUp();
    const { token } = await openum!.node.store.credentials.createToken('kim', { label: 'test' });
    const auth = { authorization: `Bearer ${token}` };
    const list = await (await fetch(`${base}/api/v1/messages`, { headers: auth })).json() as { messages: { id: string }[] };
    expect(list.messages.map((m) => m.id)).toEqual([messageId]);
    const audio = await fetch(`${base}/api/v1/messages/${messageId}/audio`, { headers: auth });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toMatch(/^audio\/wav/);
    // Denied by kim's dialing rules (an international number): no INVITE is ever placed.
    const denied = await fetch(`${base}/api/v1/play-on-phone`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ messageId, dialString: '011 44 20 7946 0000' }) });
    expect(denied.status).toBe(422);
    const started = await fetch(`${base}/api/v1/play-on-phone`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ messageId, dialString: '425-555-1234' }) });
    expect(started.status).toBe(202);
    const { phoneCallId } = await started.json() as { phoneCallId: string };
    const final = await waitFor('Disconnected', async () => {
      const info = await (await fetch(`${base}/api/v1/phone-calls/${phoneCallId}`, { headers: auth })).json() as { state: string; failureCause: string };
      return info.state === 'Disconnected' ? info : undefined;
    }, 30000);
    expect(final).toMatchObject({ state: 'Disconnected', failureCause: 'None' });
    // Heard to the end: the message is read now (marks are written within a second), as the API says too.
    await waitFor('the message to be read', async () => (await openum!.node.store.getMessage(messageId))!.state === 'read', 5000);
    const after = await (await fetch(`${base}/api/v1/messages/${messageId}`, { headers: auth })).json() as { read: boolean };
    expect(after.read).toBe(true);
    const done = await phone!.done;
    expect(done.code).toBe(0);
    // Without credentials, with a wrong password, and as another user.
    expect((await fetch(`${base}/api/v1/messages`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/messages`, { headers: { authorization: basic('kim', 'wrong password') } })).status).toBe(401);
    await openum!.node.store.credentials.setPassword('erin', 'erin password 1');
    const erin = { authorization: basic('erin', 'erin password 1') };
    expect((await fetch(`${base}/api/v1/messages/${messageId}`, { headers: erin })).status).toBe(404);
    expect((await fetch(`${base}/api/v1/phone-calls/${phoneCallId}`, { headers: erin })).status).toBe(404);
  }, 90000);

  test('Play on Phone calls count with the node\'s calls: /healthz, MaxCallsAllowed, /metrics', async () => {
    const { base, messageId } = await setUp(1);
    await openum!.node.store.credentials.setPassword('erin', 'erin password 1');
    const play = (user: string, password: string, id: string) => fetch(`${base}/api/v1/play-on-phone`, {
      method: 'POST',
      headers: { authorization: basic(user, password), 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: id, dialString: '425-555-1234' }),
    });
    expect((await play('kim', PASSWORD, messageId)).status).toBe(202);
    const health = await (await fetch(`${base}/healthz`)).json() as { activeCalls: number };
    expect(health.activeCalls).toBe(1);
    // MaxCallsAllowed: 1 is taken by kim's call: another user's request is refused, nothing dialled.
    const erins = await deliverMessage(openum!.node.mailboxes, 'erin', new Int16Array(16000).fill(1000));
    const full = await play('erin', 'erin password 1', erins.id);
    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({ error: { message: expect.stringContaining('MaxCallsAllowed') } });
    await waitFor('the call to end', async () => ((await (await fetch(`${base}/healthz`)).json() as { activeCalls: number }).activeCalls === 0 ? true : undefined), 30000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/openum_calls_total\{result="outbound-answered"\} 1/);
    expect(metrics).toMatch(/openum_rtp_packets_out_total [1-9]/);
  }, 90000);
});
