import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import {
  composeVoiceMailEmail,
  durationSeconds,
  MailCompositionError,
  type MailCompositionOptions,
  type VoiceMailNotice,
} from '../../../src/notify/index.js';

const OPTIONS: MailCompositionOptions = {
  from: 'Microsoft Exchange Unified Messaging <um@contoso.com>',
  domain: 'contoso.com',
  timeZone: 'Europe/Paris',
};
const MESSAGE_ID = '0f8e6a3c-2b1d-4c5e-9a7b-1234567890ab';
const MAILBOX = { Alias: 'kim', DisplayName: 'Kim Akers', PrimarySmtpAddress: 'kim@contoso.com' };
// 13:03:07 UTC is 14:03:07 in Paris in November (UTC+01:00).
const RECEIVED_AT = new Date('2026-11-25T13:03:07Z');
const AUDIO = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));

let dir: string;
let audioPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openum-notify-'));
  audioPath = join(dir, 'message.mp3');
  await writeFile(audioPath, AUDIO);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Decodes one RFC 2047 encoded-word (`=?UTF-8?Q?…?=` or `?B?`). */
function decodeEncodedWord(value: string): string {
  const match = /^=\?UTF-8\?([QB])\?(.*)\?=$/i.exec(value);
  if (match === null) return value;
  const [, encoding = '', text = ''] = match;
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
  const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function notice(overrides: Partial<VoiceMailNotice> = {}): VoiceMailNotice {
  return {
    messageId: MESSAGE_ID,
    mailbox: MAILBOX,
    caller: { id: '+14255550100', isNumber: true },
    receivedAt: RECEIVED_AT,
    durationMs: 41_600,
    codec: 'Mp3',
    audioPath,
    ...overrides,
  };
}

async function composeAndParse(n: VoiceMailNotice): Promise<{ parsed: ParsedMail; raw: Buffer; messageId: string; to: string }> {
  const mail = await composeVoiceMailEmail(n, OPTIONS);
  return { parsed: await simpleParser(mail.raw), raw: mail.raw, messageId: mail.messageId, to: mail.to };
}

describe('composeVoiceMailEmail — spec §4', () => {
  it('addresses the mailbox from Server.Mail.From with a stable Message-ID and the call time as Date', async () => {
    const { parsed, messageId, to } = await composeAndParse(notice());
    expect(to).toBe('kim@contoso.com');
    expect(messageId).toBe(`<voicemail-${MESSAGE_ID}@contoso.com>`);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('kim@contoso.com');
    expect(parsed.from?.value[0]).toEqual({ name: 'Microsoft Exchange Unified Messaging', address: 'um@contoso.com' });
    expect(parsed.date?.toISOString()).toBe(RECEIVED_AT.toISOString());
  });

  it('carries the UM headers: Content-Class voice-ca, calling number, duration in seconds', async () => {
    const { parsed } = await composeAndParse(notice());
    expect(parsed.headers.get('content-class')).toBe('voice-ca');
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('+14255550100');
    expect(parsed.headers.get('x-voicemessageduration')).toBe('42');
    // No resolved name: no sender-name header.
    expect(parsed.headers.has('x-voicemessagesendername')).toBe(false);
  });

  it('subject names the number and the duration when no name was resolved', async () => {
    const { parsed } = await composeAndParse(notice());
    expect(parsed.subject).toBe('Voice Mail from +14255550100 (42 seconds)');
  });

  it('attaches the audio with a file-safe name after caller and local time, typed per codec', async () => {
    const { parsed } = await composeAndParse(notice());
    expect(parsed.attachments).toHaveLength(1);
    const [attachment] = parsed.attachments;
    expect(attachment?.filename).toBe('Voice Mail from +14255550100 2026-11-25 14-03.mp3');
    expect(attachment?.contentType).toBe('audio/mpeg');
    expect(attachment?.contentDisposition).toBe('attachment');
    expect(Buffer.compare(attachment?.content ?? Buffer.alloc(0), AUDIO)).toBe(0);
  });

  it.each([
    ['G711', 'audio/wav', 'wav'],
    ['Gsm', 'audio/wav', 'wav'],
    ['Wma', 'audio/x-ms-wma', 'wma'],
    ['Mp3', 'audio/mpeg', 'mp3'],
  ] as const)('codec %s is attached as %s (.%s)', async (codec, mimeType, extension) => {
    const { parsed } = await composeAndParse(notice({ codec }));
    expect(parsed.attachments[0]?.contentType).toBe(mimeType);
    expect(parsed.attachments[0]?.filename?.endsWith(`.${extension}`)).toBe(true);
  });

  it('plain-text and HTML bodies show caller, local time, duration and a tel: link', async () => {
    const { parsed } = await composeAndParse(notice());
    const text = parsed.text ?? '';
    expect(text).toContain('Voice mail from +14255550100');
    expect(text).toContain('Wednesday 2026-11-25 14:03:07 (UTC+01:00)');
    expect(text).toContain('42 seconds');
    expect(text).toContain('tel:+14255550100');
    expect(text).toContain('Voice Mail from +14255550100 2026-11-25 14-03.mp3');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('<a href="tel:+14255550100">+14255550100</a>');
    expect(html).toContain('Wednesday 2026-11-25 14:03:07 (UTC+01:00)');
    expect(html).toContain('42 seconds');
  });

  it('uses the resolved name in subject, sender-name header and body, MIME-encoding non-ASCII', async () => {
    const { parsed, raw } = await composeAndParse(notice({ caller: { id: '+14255550100', isNumber: true, name: 'Zoë Ørsted' } }));
    expect(parsed.subject).toBe('Voice Mail from Zoë Ørsted (42 seconds)');
    // mailparser leaves unknown X- headers encoded (RFC 2047): decode it here.
    expect(decodeEncodedWord(String(parsed.headers.get('x-voicemessagesendername')))).toBe('Zoë Ørsted');
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('+14255550100');
    expect(parsed.attachments[0]?.filename).toBe('Voice Mail from Zoë Ørsted 2026-11-25 14-03.mp3');
    expect(parsed.text).toContain('Zoë Ørsted');
    // Headers on the wire stay 7-bit (RFC 2047 / RFC 2231 encoded).
    const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
    expect(/^[\x20-\x7e\r\n\t]*$/.test(head)).toBe(true);
  });

  it('a SIP URI caller gets a sip: link and the URI in X-CallingTelephoneNumber', async () => {
    const { parsed } = await composeAndParse(notice({ caller: { id: 'sip:alice@fabrikam.com', isNumber: false } }));
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('sip:alice@fabrikam.com');
    expect(parsed.subject).toBe('Voice Mail from alice@fabrikam.com (42 seconds)');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('<a href="sip:alice@fabrikam.com">alice@fabrikam.com</a>');
    expect(html).not.toContain('tel:');
    expect(parsed.text).toContain('sip:alice@fabrikam.com');
  });

  it('an anonymous caller: no X-CallingTelephoneNumber, "Unknown caller", no link', async () => {
    const { parsed } = await composeAndParse(notice({ caller: { id: null, isNumber: false } }));
    expect(parsed.headers.has('x-callingtelephonenumber')).toBe(false);
    expect(parsed.headers.has('x-voicemessagesendername')).toBe(false);
    expect(parsed.subject).toBe('Voice Mail from Unknown caller (42 seconds)');
    expect(parsed.attachments[0]?.filename).toBe('Voice Mail from Unknown caller 2026-11-25 14-03.mp3');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).not.toMatch(/href="(tel|sip):/);
    expect(parsed.text).not.toMatch(/tel:|sip:/);
  });

  it('escapes HTML and strips line breaks from a hostile directory name', async () => {
    const { parsed } = await composeAndParse(notice({ caller: { id: '+14255550100', isNumber: true, name: '<b>Eve</b>\r\nBcc: x@evil.example' } }));
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.get('x-voicemessagesendername')).toBe('<b>Eve</b> Bcc: x@evil.example');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(html).not.toContain('<b>Eve</b>');
    expect(parsed.attachments[0]?.filename).toBe('Voice Mail from _b_Eve__b_ Bcc_ x@evil.example 2026-11-25 14-03.mp3');
  });

  it('uses CRLF line ends throughout (RFC 5322 §2.3), never a bare LF', async () => {
    const { raw } = await composeAndParse(notice({ caller: { id: '+14255550100', isNumber: true, name: 'Alice Smith' } }));
    expect(/(^|[^\r])\n/.test(raw.toString('latin1'))).toBe(false);
  });

  it('is byte-identical when composed again (a resend is the same message)', async () => {
    const first = await composeVoiceMailEmail(notice(), OPTIONS);
    const second = await composeVoiceMailEmail(notice(), OPTIONS);
    expect(Buffer.compare(first.raw, second.raw)).toBe(0);
  });

  it('a missing audio file is a MailCompositionError naming the path', async () => {
    const missing = join(dir, 'nope.mp3');
    await expect(composeVoiceMailEmail(notice({ audioPath: missing }), OPTIONS)).rejects.toMatchObject({
      code: 'OPENUM_NOTIFY_COMPOSE_FAILED',
      path: missing,
    });
    await expect(composeVoiceMailEmail(notice({ audioPath: missing }), OPTIONS)).rejects.toBeInstanceOf(MailCompositionError);
  });
});

describe('durationSeconds', () => {
  it('rounds to the nearest second, never 0 for a non-empty message', () => {
    expect(durationSeconds(41_499)).toBe(41);
    expect(durationSeconds(41_500)).toBe(42);
    expect(durationSeconds(300)).toBe(1);
    expect(durationSeconds(0)).toBe(0);
  });
});
