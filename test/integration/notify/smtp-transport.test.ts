import { simpleParser } from 'mailparser';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { closedPort } from '../../support/free-port.js';
import { startSmtpListener, type SmtpListener } from '../../support/smtp-listener.js';
import {
  composeMissedCallEmail,
  MailDeliveryPermanentError,
  MailDeliveryTemporaryError,
  SmtpTransport,
  type ComposedMail,
  type MailSettings,
} from '../../../src/notify/index.js';

const SETTINGS: Omit<MailSettings, 'Port'> = {
  Kind: 'smtp',
  Directory: '/unused',
  From: 'Microsoft Exchange Unified Messaging <um@contoso.com>',
  Host: '127.0.0.1',
  Secure: 'none',
  User: undefined,
  Password: undefined,
};
const TIMEOUTS = { connectionTimeoutMs: 5000, greetingTimeoutMs: 5000, socketTimeoutMs: 5000 };

async function startServer(overrides: Partial<SMTPServerOptions> = {}): Promise<SmtpListener> {
  return startSmtpListener(overrides);
}

async function stopServer(server: SMTPServer): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function sampleMail(): Promise<ComposedMail> {
  return composeMissedCallEmail(
    {
      callId: 'call-1@pc33.fabrikam.com',
      mailbox: { Alias: 'kim', DisplayName: 'Kim Akers', PrimarySmtpAddress: 'kim@contoso.com' },
      caller: { id: '+14255550100', isNumber: true, name: 'Alice Smith' },
      receivedAt: new Date('2026-11-25T13:03:07Z'),
    },
    { from: SETTINGS.From, domain: 'contoso.com', timeZone: 'UTC' },
  );
}

describe('SmtpTransport over a real SMTP listener (Secure: none)', () => {
  it('delivers the raw message with the envelope; the server receives the same bytes', async () => {
    const { server, port, received } = await startServer();
    const transport = new SmtpTransport({ settings: { ...SETTINGS, Port: port }, ...TIMEOUTS });
    try {
      const mail = await sampleMail();
      await transport.deliver(mail);
      expect(received).toHaveLength(1);
      const [got] = received;
      expect(got?.from).toBe('um@contoso.com');
      expect(got?.to).toEqual(['kim@contoso.com']);
      // smtp-server undoes dot-stuffing; the message arrives as composed.
      expect(got?.data.toString('latin1').replace(/\r\n$/, '')).toBe(mail.raw.toString('latin1').replace(/\r\n$/, ''));
      const parsed = await simpleParser(got?.data ?? Buffer.alloc(0));
      const original = await simpleParser(mail.raw);
      expect(parsed.messageId).toBe(mail.messageId);
      expect(parsed.subject).toBe(original.subject);
      expect(parsed.headers.get('content-class')).toBe('missedcall');
      expect(parsed.text).toBe(original.text);
      expect(parsed.html).toBe(original.html);
    } finally {
      transport.close();
      await stopServer(server);
    }
  });

  it('nothing listening → MailDeliveryTemporaryError', async () => {
    const port = await closedPort();
    const transport = new SmtpTransport({ settings: { ...SETTINGS, Port: port }, ...TIMEOUTS });
    try {
      const mail = await sampleMail();
      const error: unknown = await transport.deliver(mail).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MailDeliveryTemporaryError);
      expect(error).toMatchObject({ code: 'OPENUM_NOTIFY_DELIVERY_TEMPORARY', temporary: true, messageId: mail.messageId, responseCode: undefined });
    } finally {
      transport.close();
    }
  });

  it('550 to RCPT TO → MailDeliveryPermanentError with the reply code', async () => {
    const { server, port, received } = await startServer({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      },
    });
    const transport = new SmtpTransport({ settings: { ...SETTINGS, Port: port }, ...TIMEOUTS });
    try {
      const error: unknown = await transport.deliver(await sampleMail()).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MailDeliveryPermanentError);
      expect(error).toMatchObject({ code: 'OPENUM_NOTIFY_DELIVERY_PERMANENT', temporary: false, responseCode: 550 });
      expect(received).toHaveLength(0);
    } finally {
      transport.close();
      await stopServer(server);
    }
  });

  it('451 to the message data → MailDeliveryTemporaryError with the reply code', async () => {
    const { server, port } = await startServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('4.3.0 try later'), { responseCode: 451 })));
      },
    });
    const transport = new SmtpTransport({ settings: { ...SETTINGS, Port: port }, ...TIMEOUTS });
    try {
      const error: unknown = await transport.deliver(await sampleMail()).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MailDeliveryTemporaryError);
      expect(error).toMatchObject({ responseCode: 451 });
    } finally {
      transport.close();
      await stopServer(server);
    }
  });
});
