import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizePlayOnPhoneDial, isDialableSipUri, PlayOnPhoneRefusedError } from '../../../src/calls/play-on-phone/index.js';
import { runCheckDial } from '../../../src/cli/commands/check-dial.js';
import { Directory } from '../../../src/directory/index.js';
import { playOnPhoneConfiguration, playOnPhoneSiteYaml } from '../../support/play-on-phone-setup.js';

const GATEWAYS = [{ name: 'Gw', port: 5060 }];
const directory = new Directory(playOnPhoneConfiguration('/tmp/unused', GATEWAYS));

function refusalOf(alias: string, dialString: string): string {
  try {
    authorizePlayOnPhoneDial(directory, alias, dialString);
  } catch (error) {
    expect(error).toBeInstanceOf(PlayOnPhoneRefusedError);
    return (error as PlayOnPhoneRefusedError).refusal;
  }
  return 'allowed';
}

describe('Play on Phone dial authorisation (spec §2, §8 step 3)', () => {
  test('numbers the policy’s allowed groups cover are prefixed and dialed; extensions of the dial plan too', () => {
    expect(authorizePlayOnPhoneDial(directory, 'kim', '425-555-1234')).toMatchObject({ dialed: '914255551234', category: 'national' });
    expect(authorizePlayOnPhoneDial(directory, 'kim', '+1 (425) 555-1234')).toMatchObject({ dialed: '914255551234', category: 'national' });
    expect(authorizePlayOnPhoneDial(directory, 'kim', '50107')).toMatchObject({ dialed: '50107', category: 'extension' });
  });

  test('refusals: group not allowed or no rule → invalid-phone-number; nothing to dial → phone-number-not-dialable; malformed SIP URI → invalid-sip-uri', () => {
    expect(refusalOf('kim', '+44 20 7946 0018')).toBe('invalid-phone-number'); // UK exists but is not allowed
    expect(refusalOf('kim', '206-555-1234')).toBe('invalid-phone-number'); // no rule
    expect(refusalOf('kim', 'jo@fabrikam.com')).toBe('invalid-phone-number'); // SIP needs an allowed `*` entry
    expect(refusalOf('kim', '')).toBe('phone-number-not-dialable');
    expect(refusalOf('kim', 'call me')).toBe('phone-number-not-dialable');
    expect(refusalOf('kim', 'sip:@@contoso.com')).toBe('invalid-sip-uri');
    expect(refusalOf('kim', 'jo smith@fabrikam.com')).toBe('invalid-sip-uri');
    expect(refusalOf('erin', 'jo@fabrikam.com')).toBe('allowed'); // erin's policy allows AnySip
  });

  test('SIP URI syntax', () => {
    expect(isDialableSipUri('kim@contoso.com')).toBe(true);
    expect(isDialableSipUri('sip:kim@contoso.com;transport=tcp')).toBe(true);
    expect(isDialableSipUri('sips:kim@[::1]:5061')).toBe(true);
    for (const bad of ['sip:@contoso.com', 'kim@', 'a@b@c', 'sip:kim@conto so.com', 'sip:kim"@contoso.com', 'http://x@y']) expect(isDialableSipUri(bad)).toBe(false);
  });

  test('every decision equals `openum check-dial --scenario play-on-phone` for the same user and string', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-pop-dial-'));
    try {
      const config = join(dir, 'openum.yaml');
      writeFileSync(config, playOnPhoneSiteYaml(join(dir, 'data'), GATEWAYS));
      const strings = ['425-555-1234', '+14255551234', '9-1-425-555-1234', '+44 20 7946 0018', '206-555-1234', '50107', '59999', 'jo@fabrikam.com', 'kim@contoso.com'];
      for (const alias of ['kim', 'erin']) {
        const lines: string[] = [];
        runCheckDial(strings, { config, scenario: 'play-on-phone', mailbox: alias, json: true }, { out: (l) => lines.push(l), err: () => undefined });
        const cli = lines.map((l) => JSON.parse(l) as { dialString: string; allowed: boolean; dialed: string | null });
        expect(cli).toHaveLength(strings.length);
        for (const c of cli) {
          let ours: { allowed: boolean; dialed: string | null };
          try {
            ours = { allowed: true, dialed: authorizePlayOnPhoneDial(directory, alias, c.dialString).dialed };
          } catch {
            ours = { allowed: false, dialed: null };
          }
          expect({ alias, dialString: c.dialString, ...ours }).toEqual({ alias, dialString: c.dialString, allowed: c.allowed, dialed: c.dialed });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
