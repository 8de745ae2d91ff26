import { simpleParser } from 'mailparser';
import { composeMissedCallEmail, type MailCompositionOptions, type MissedCallNotice } from '../../../src/notify/index.js';

const OPTIONS: MailCompositionOptions = { from: 'UM <um@contoso.com>', domain: 'contoso.com', timeZone: 'America/Los_Angeles' };

function notice(overrides: Partial<MissedCallNotice> = {}): MissedCallNotice {
  return {
    callId: 'a84b4c76e66710@pc33.fabrikam.com',
    mailbox: { Alias: 'kim', DisplayName: 'Kim Akers', PrimarySmtpAddress: 'kim@contoso.com' },
    caller: { id: '+14255550100', isNumber: true, name: 'Alice Smith' },
    // 22:03 UTC on 25 Nov is 14:03 in Seattle (UTC-08:00).
    receivedAt: new Date('2026-11-25T22:03:07Z'),
    ...overrides,
  };
}

describe('composeMissedCallEmail — spec §4', () => {
  it('has Content-Class missedcall, the caller headers, and neither duration nor attachment', async () => {
    const mail = await composeMissedCallEmail(notice(), OPTIONS);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.headers.get('content-class')).toBe('missedcall');
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('+14255550100');
    expect(parsed.headers.get('x-voicemessagesendername')).toBe('Alice Smith');
    expect(parsed.headers.has('x-voicemessageduration')).toBe(false);
    expect(parsed.attachments).toHaveLength(0);
    expect(parsed.subject).toBe('Missed call from Alice Smith');
    expect(mail.subject).toBe('Missed call from Alice Smith');
  });

  it('derives a valid, stable Message-ID from the SIP Call-ID (the @ escaped)', async () => {
    const mail = await composeMissedCallEmail(notice(), OPTIONS);
    expect(mail.messageId).toBe('<missedcall-a84b4c76e66710=40pc33=2Efabrikam=2Ecom@contoso.com>');
    const parsed = await simpleParser(mail.raw);
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('kim@contoso.com');
  });

  it('bodies show caller, number with tel: link, and local time, and no duration', async () => {
    const parsed = await simpleParser((await composeMissedCallEmail(notice(), OPTIONS)).raw);
    expect(parsed.text).toContain('Missed call from Alice Smith');
    expect(parsed.text).toContain('Wednesday 2026-11-25 14:03:07 (UTC-08:00)');
    expect(parsed.text).toContain('tel:+14255550100');
    expect(parsed.text).not.toContain('Duration');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('<a href="tel:+14255550100">+14255550100</a>');
    expect(html).not.toContain('Duration');
  });

  it('an anonymous caller: subject "Missed call from Unknown caller", no calling-number header', async () => {
    const parsed = await simpleParser((await composeMissedCallEmail(notice({ caller: { id: null, isNumber: true } }), OPTIONS)).raw);
    expect(parsed.subject).toBe('Missed call from Unknown caller');
    expect(parsed.headers.has('x-callingtelephonenumber')).toBe(false);
    expect(parsed.headers.has('x-voicemessagesendername')).toBe(false);
    expect(parsed.text).not.toMatch(/tel:|sip:/);
  });

  it('a SIP URI caller without a name: subject shows the address, body links sip:', async () => {
    const parsed = await simpleParser((await composeMissedCallEmail(notice({ caller: { id: 'bob@fabrikam.com', isNumber: false } }), OPTIONS)).raw);
    expect(parsed.subject).toBe('Missed call from bob@fabrikam.com');
    expect(parsed.headers.get('x-callingtelephonenumber')).toBe('sip:bob@fabrikam.com');
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('<a href="sip:bob@fabrikam.com">bob@fabrikam.com</a>');
  });
});
