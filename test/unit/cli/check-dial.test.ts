import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/capture-output.js';
import { repoPath } from '../../support/paths.js';

const CONFIG = repoPath('examples/contoso/openum.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'openum-check-dial-'));

async function run(...argv: string[]) {
  const io = captureOutput();
  const code = await main(['check-dial', '--config', CONFIG, ...argv], io);
  return { code, ...io };
}

describe('openum check-dial', () => {
  test('--json: one object per dial string with the decision fields and the trace', async () => {
    const r = await run('--scenario', 'play-on-phone', '--mailbox', 'kim', '--json', '425-555-1234', '+44 20 7946 0018');
    expect(r.code).toBe(1); // one of them is refused
    const [allowed, denied] = r.stdout.map((l) => JSON.parse(l));
    expect(allowed).toMatchObject({
      scenario: 'play-on-phone', subject: 'kim', governedBy: { kind: 'UMMailboxPolicy', name: 'Redmond Default Policy' },
      dialString: '425-555-1234', allowed: true, category: 'national', prefixed: '914255551234', group: 'Local', dialed: '95551234',
    });
    expect(allowed.entry).toMatchObject({ list: 'ConfiguredInCountryOrRegionGroups', index: 1, rule: { NumberMask: '91425xxxxxxx' } });
    expect(allowed.trace.length).toBeGreaterThan(2);
    expect(denied).toMatchObject({ allowed: false, category: 'international', prefixed: '9011442079460018', reason: 'group-not-allowed', group: 'Europe', dialed: null });
    expect(allowed.reason).toBeNull();
    for (const key of ['dialString', 'allowed', 'category', 'prefixed', 'group', 'entry', 'dialed', 'reason', 'trace']) {
      expect(Object.keys(denied)).toContain(key);
    }
  });

  test('human output: one decision line and its trace; exit 0 when all are allowed', async () => {
    const r = await run('--scenario', 'auto-attendant', '--auto-attendant', 'RedmondMainLine', '50110');
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe('ALLOW 50110: extension → 50110, dial 50110');
    expect(r.stdout.slice(1).every((l) => l.startsWith('    '))).toBe(true);
  });

  test('each scenario takes its governing object (spec §2.1)', async () => {
    // The executives' policy allows Regional; the dial plan (anonymous) does not.
    expect((await run('--scenario', 'subscriber', '--mailbox', 'david', '206-555-0100')).code).toBe(0);
    expect((await run('--scenario', 'anonymous', '--dial-plan', 'Redmond', '206-555-0100')).code).toBe(1);
  });

  test('usage errors exit 2: missing subject, unknown subject, unknown scenario, nothing to check', async () => {
    expect((await run('--scenario', 'play-on-phone', '12345')).code).toBe(2);
    expect((await run('--scenario', 'play-on-phone', '--mailbox', 'nobody', '12345')).code).toBe(2);
    expect((await run('--scenario', 'dial-out', '--mailbox', 'kim', '12345')).code).toBe(2);
    expect((await run('--scenario', 'play-on-phone', '--mailbox', 'kim')).code).toBe(2);
  });

  test('an invalid configuration exits 2 with its errors on stderr', async () => {
    const io = captureOutput();
    const code = await main(['check-dial', '--config', repoPath('test/fixtures/config/invalid/E_MASK_X_COUNT.yaml'), '--scenario', 'anonymous', '--dial-plan', 'DP', '95551234'], io);
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('E_MASK_X_COUNT');
  });

  test('--cases: the example table passes', async () => {
    const r = await run('--cases', repoPath('examples/contoso/cases.csv'));
    expect(r.stdout.at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.code).toBe(0);
  });

  test('--cases: mismatches are printed with file:line and trace, then the count; exit 1', async () => {
    const file = join(tmp, 'cases.csv');
    writeFileSync(file, [
      'scenario,subject,dialString,expect,expectDialed',
      '# a comment line',
      'play-on-phone,kim,425-555-1234,allow,95551234',
      'play-on-phone,kim,425-555-1234,allow,914255551234',
      'play-on-phone,kim,"+44 20 7946 0018",allow,',
      'play-on-phone,nobody,12345,allow,',
      'play-on-phone,kim,12345,maybe,',
    ].join('\n'));
    const r = await run('--cases', file);
    expect(r.code).toBe(1);
    expect(r.stdout.at(-1)).toBe('1 passed, 4 failed');
    const fails = r.stdout.filter((l) => l.startsWith('FAIL'));
    expect(fails.map((l) => l.split(':')[1])).toEqual(['4', '5', '6', '7']);
    expect(fails[0]).toContain('expected to dial 914255551234, got 95551234');
    expect(fails[1]).toContain('expected allow, got deny (group-not-allowed)');
    expect(r.stdout.some((l) => l.startsWith('    '))).toBe(true);
  });

  test('--cases: a wrong header is a usage error', async () => {
    const file = join(tmp, 'bad.csv');
    writeFileSync(file, 'number,expect\n123,allow\n');
    expect((await run('--cases', file)).code).toBe(2);
  });
});
