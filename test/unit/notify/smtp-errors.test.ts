import {
  classifySmtpError,
  createMailTransport,
  envelopeSender,
  MailDeliveryError,
  MailDeliveryPermanentError,
  MailDeliveryTemporaryError,
  MaildirTransport,
  MailSettingsError,
  SmtpTransport,
  smtpTransportOptions,
  type MailSettings,
} from '../../../src/notify/index.js';

function nodemailerError(props: Record<string, unknown>): Error {
  return Object.assign(new Error('x'), props);
}

describe('classifySmtpError (RFC 5321 §4.2.1)', () => {
  it.each([
    ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }],
    ['timeout', { code: 'ETIMEDOUT' }],
    ['4xx mailbox busy', { code: 'EENVELOPE', responseCode: 450 }],
    ['421 service closing', { code: 'EPROTOCOL', responseCode: 421 }],
    ['503 bad sequence', { code: 'EPROTOCOL', responseCode: 503 }],
    ['535 authentication (our credentials)', { code: 'EAUTH', responseCode: 535 }],
    ['TLS failure', { code: 'ETLS' }],
  ])('%s is temporary', (_, props) => {
    const error = classifySmtpError(nodemailerError(props), '<m@x>');
    expect(error).toBeInstanceOf(MailDeliveryTemporaryError);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ code: 'OPENUM_NOTIFY_DELIVERY_TEMPORARY', temporary: true, transport: 'smtp', messageId: '<m@x>' });
  });

  it.each([
    ['550 no such user', { code: 'EENVELOPE', responseCode: 550 }],
    ['554 message rejected', { code: 'EMESSAGE', responseCode: 554 }],
    ['552 too big', { code: 'EMESSAGE', responseCode: 552 }],
    ['invalid address, refused before sending', { code: 'EENVELOPE' }],
  ])('%s is permanent', (_, props) => {
    const error = classifySmtpError(nodemailerError(props), '<m@x>');
    expect(error).toBeInstanceOf(MailDeliveryPermanentError);
    expect(error).toMatchObject({ code: 'OPENUM_NOTIFY_DELIVERY_PERMANENT', temporary: false });
  });

  it('keeps the reply code and the original error', () => {
    const cause = nodemailerError({ code: 'EENVELOPE', responseCode: 550 });
    expect(classifySmtpError(cause, '<m@x>')).toMatchObject({ responseCode: 550, cause });
  });
});

const SMTP: MailSettings = {
  Kind: 'smtp',
  Directory: '/var/mail/openum',
  From: 'Microsoft Exchange Unified Messaging <um@contoso.com>',
  Host: 'smtp.contoso.com',
  Port: 587,
  Secure: 'starttls',
  User: undefined,
  Password: undefined,
};

describe('Server.Mail → transport', () => {
  it('Secure none | starttls | tls map to nodemailer options', () => {
    expect(smtpTransportOptions({ settings: { ...SMTP, Secure: 'none' } })).toMatchObject({ secure: false, ignoreTLS: true });
    expect(smtpTransportOptions({ settings: SMTP })).toMatchObject({ host: 'smtp.contoso.com', port: 587, secure: false, requireTLS: true });
    expect(smtpTransportOptions({ settings: { ...SMTP, Secure: 'tls', Port: 465 } })).toMatchObject({ secure: true, port: 465 });
    expect(smtpTransportOptions({ settings: SMTP }).auth).toBeUndefined();
    expect(smtpTransportOptions({ settings: { ...SMTP, User: 'um', Password: 'pw' } }).auth).toEqual({ user: 'um', pass: 'pw' });
  });

  it('smtp without Host and a From without an address are MailSettingsErrors', () => {
    expect(() => smtpTransportOptions({ settings: { ...SMTP, Host: undefined } })).toThrow(MailSettingsError);
    expect(() => envelopeSender('Unified Messaging')).toThrow(expect.objectContaining({ code: 'OPENUM_NOTIFY_MAIL_SETTINGS', property: 'From' }));
    expect(envelopeSender(SMTP.From)).toBe('um@contoso.com');
  });

  it('createMailTransport picks the Kind', () => {
    const smtp = createMailTransport(SMTP);
    expect(smtp).toBeInstanceOf(SmtpTransport);
    smtp.close();
    expect(createMailTransport({ ...SMTP, Kind: 'maildir' })).toBeInstanceOf(MaildirTransport);
  });
});
