import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import {
  composeMissedCallEmail,
  MailDeliveryPermanentError,
  MaildirTransport,
  type ComposedMail,
} from '../../../src/notify/index.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'openum-maildir-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function sampleMail(callId = 'call-1@pc33.fabrikam.com'): Promise<ComposedMail> {
  return composeMissedCallEmail(
    {
      callId,
      mailbox: { Alias: 'kim', DisplayName: 'Kim Akers', PrimarySmtpAddress: 'kim@contoso.com' },
      caller: { id: 'sip:alice@fabrikam.com', isNumber: false },
      receivedAt: new Date('2026-11-25T13:03:07Z'),
    },
    { from: 'UM <um@contoso.com>', domain: 'contoso.com', timeZone: 'UTC' },
  );
}

describe('MaildirTransport', () => {
  it('writes exactly one file into <Directory>/<PrimarySmtpAddress>/new, with tmp and cur present', async () => {
    const transport = new MaildirTransport({ directory: root });
    const mail = await sampleMail();
    await transport.deliver(mail);
    const maildir = join(root, 'kim@contoso.com');
    expect((await readdir(maildir)).sort()).toEqual(['cur', 'new', 'tmp']);
    const files = await readdir(join(maildir, 'new'));
    expect(files).toHaveLength(1);
    expect(await readdir(join(maildir, 'tmp'))).toEqual([]);
    const stored = await readFile(join(maildir, 'new', files[0] ?? ''));
    // Maildir files use LF line ends.
    expect(stored.includes('\r\n')).toBe(false);
    const parsed = await simpleParser(stored);
    const original = await simpleParser(mail.raw);
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.subject).toBe(original.subject);
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('sip:alice@fabrikam.com');
    expect(parsed.text).toBe(original.text);
  });

  it('the same Message-ID twice (sequentially or at once) is still one file', async () => {
    const transport = new MaildirTransport({ directory: root });
    const mail = await sampleMail();
    await transport.deliver(mail);
    await transport.deliver(mail);
    await Promise.all([transport.deliver(mail), transport.deliver(mail)]);
    expect(await readdir(join(root, 'kim@contoso.com', 'new'))).toHaveLength(1);
  });

  it('a message the reader moved to cur/ (with flags) is not delivered again', async () => {
    const transport = new MaildirTransport({ directory: root });
    const mail = await sampleMail();
    await transport.deliver(mail);
    const maildir = join(root, 'kim@contoso.com');
    const [name] = await readdir(join(maildir, 'new'));
    await rename(join(maildir, 'new', name ?? ''), join(maildir, 'cur', `${name ?? ''}:2,S`));
    await new MaildirTransport({ directory: root }).deliver(mail);
    expect(await readdir(join(maildir, 'new'))).toEqual([]);
    expect(await readdir(join(maildir, 'cur'))).toHaveLength(1);
  });

  it('different Message-IDs are different files', async () => {
    const transport = new MaildirTransport({ directory: root });
    await transport.deliver(await sampleMail('call-1'));
    await transport.deliver(await sampleMail('call-2'));
    expect(await readdir(join(root, 'kim@contoso.com', 'new'))).toHaveLength(2);
  });

  it('a recipient that cannot name one folder is a permanent failure', async () => {
    const transport = new MaildirTransport({ directory: root });
    const mail = await sampleMail();
    for (const to of ['../escape', '..', 'a/b', '']) {
      await expect(transport.deliver({ ...mail, to })).rejects.toBeInstanceOf(MailDeliveryPermanentError);
    }
    expect(await readdir(root)).toEqual([]);
  });
});
