import { missedCallMessageId, voiceMailMessageId } from '../../../src/notify/index.js';

describe('Message-IDs', () => {
  it('voice mail: <voicemail-<uuid>@<domain>>', () => {
    expect(voiceMailMessageId('0f8e6a3c-2b1d-4c5e-9a7b-1234567890ab', 'contoso.com')).toBe('<voicemail-0f8e6a3c-2b1d-4c5e-9a7b-1234567890ab@contoso.com>');
  });

  it('missed call: escapes every character outside [A-Za-z0-9_-], including = itself', () => {
    expect(missedCallMessageId('a@b.c', 'contoso.com')).toBe('<missedcall-a=40b=2Ec@contoso.com>');
    // Distinct Call-IDs never collide: "a=40b" is not "a@b".
    expect(missedCallMessageId('a=40b', 'x')).not.toBe(missedCallMessageId('a@b', 'x'));
    expect(missedCallMessageId('é <>', 'x')).toBe('<missedcall-=C3=A9=20=3C=3E@x>');
  });

  it('the left part is a valid RFC 5322 dot-atom-text for any Call-ID', () => {
    const id = missedCallMessageId('..weird id;with"quotes"..@host', 'contoso.com');
    expect(id).toMatch(/^<missedcall-[A-Za-z0-9_=-]+@contoso\.com>$/);
  });
});
