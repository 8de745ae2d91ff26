// Spec §4 end to end: SIPp as the gateway leaves a message or hangs up, and openum's default Maildir
// receives the voice-mail e-mail (with the stored audio attached) or the missed-call notification,
// subject to the AllowMissedCallNotifications / MissedCallNotificationEnabled gates.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { runSipp } from '../../support/sipp.js';

function call(openum: OpenumUnderTest, scenario: string, mailbox: string) {
  return runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', scenario, '-s', '50101', '-key', 'diversion', `${mailbox}@contoso.com`, '-t', 'u1', '-m', '1'], { hardLimitMs: 40000 });
}

/** Parsed mails in a user's Maildir `new/`, waiting until there are at least `count`. */
async function maildir(openum: OpenumUnderTest, address: string, count: number, timeoutMs = 20000): Promise<ParsedMail[]> {
  const folder = join(openum.directory, 'data', 'mail', address, 'new');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.length >= count || Date.now() > deadline) {
      return Promise.all(names.sort().map(async (n) => simpleParser(await readFile(join(folder, n)))));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const header = (mail: ParsedMail, name: string) => mail.headers.get(name.toLowerCase());

describe('notifications from real calls (Maildir)', () => {
  let openum: OpenumUnderTest;
  beforeAll(async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(1) }));
  });
  afterAll(async () => openum?.stop());

  test('a left message produces the voice-mail e-mail with the stored audio attached, and no missed-call notification', async () => {
    const outcome = openum.nextOutcome(40000);
    expect((await call(openum, 'leave-message-pound.xml', 'kim')).code).toBe(0);
    const o = await outcome;
    expect(o.result).toBe('message');
    const stored = await o.message!.delivered;
    const [mail, extra] = await maildir(openum, 'kim@contoso.com', 1);
    expect(extra).toBeUndefined();
    expect(header(mail!, 'Content-Class')).toBe('voice-ca');
    expect(header(mail!, 'X-CallingTelephoneNumber')).toBe('+12065550100');
    const seconds = Math.round(stored.durationMs / 1000);
    expect(String(header(mail!, 'X-VoiceMessageDuration'))).toBe(String(seconds));
    // The SIPp caller's number is Pat's UMCallingLineIds (spec §5 step 3): the e-mail names Pat.
    expect(o.callerName).toBe('Pat Caller');
    expect(mail!.subject).toBe(`Voice Mail from Pat Caller (${seconds} seconds)`);
    expect(header(mail!, 'X-VoiceMessageSenderName')).toBe('Pat Caller');
    expect(mail!.to).toMatchObject({ value: [{ address: 'kim@contoso.com' }] });
    expect(mail!.messageId).toContain(stored.id);
    expect(mail!.html).toContain('tel:+12065550100');
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]!.content.equals(await readFile(openum.node.mailboxes.audioFilePath(stored)))).toBe(true);
    // The outbox entry is marked sent, and no missed-call entry exists for this call.
    expect(await openum.node.store.outbox.get(`voice-mail:${stored.id}`)).toMatchObject({ state: 'sent' });
    expect(await openum.node.store.outbox.get(`missed-call:${o.callId}`)).toBeUndefined();
  }, 60000);

  test('hanging up during the greeting produces a missed-call notification; the gates suppress it', async () => {
    // lee: MissedCallNotificationEnabled false; max: policy AllowMissedCallNotifications false.
    const gated: string[] = [];
    for (const mailbox of ['lee', 'max']) {
      const outcome = openum.nextOutcome(20000);
      expect((await call(openum, 'hang-up-during-greeting.xml', mailbox)).code).toBe(0);
      const o = await outcome;
      expect(o).toMatchObject({ mailbox, result: 'caller-hung-up-during-greeting' });
      gated.push(o.callId);
    }
    const outcome = openum.nextOutcome(20000);
    expect((await call(openum, 'hang-up-during-greeting.xml', 'erin')).code).toBe(0);
    const o = await outcome;
    const [mail] = await maildir(openum, 'erin@contoso.com', 1);
    expect(header(mail!, 'Content-Class')).toBe('missedcall');
    expect(mail!.subject).toBe('Missed call from Pat Caller');
    expect(header(mail!, 'X-CallingTelephoneNumber')).toBe('+12065550100');
    expect(header(mail!, 'X-VoiceMessageDuration')).toBeUndefined();
    expect(mail!.attachments).toHaveLength(0);
    expect(await openum.node.store.outbox.get(`missed-call:${o.callId}`)).toMatchObject({ state: 'sent' });
    // The gated calls were over before erin's: had they queued anything, it would be there by now.
    for (const callId of gated) expect(await openum.node.store.outbox.get(`missed-call:${callId}`)).toBeUndefined();
    expect(await maildir(openum, 'lee@contoso.com', 0, 0)).toEqual([]);
    expect(await maildir(openum, 'max@contoso.com', 0, 0)).toEqual([]);
  }, 90000);
});
