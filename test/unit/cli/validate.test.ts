import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/capture-output.js';
import { repoPath } from '../../support/paths.js';

describe('openum validate', () => {
  test('exit 0 on a valid file and a summary of what it defines', async () => {
    const io = captureOutput();
    expect(await main(['validate', repoPath('examples/contoso/openum.yaml')], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/1 dial plan\(s\): Redmond \(SipName, 5-digit extensions/);
    expect(io.stdout.at(-1)).toMatch(/0 error\(s\), 0 warning\(s\)$/);
  });

  test('exit 1 on errors, each on stderr as file:line:col with code and property path', async () => {
    const io = captureOutput();
    const file = repoPath('test/fixtures/config/invalid/E_UNKNOWN_GROUP.yaml');
    expect(await main(['validate', file], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: error E_UNKNOWN_GROUP at UMMailboxPolicies\\[Policy\\]\\.AllowedInCountryOrRegionGroups\\[1\\]: .*did you mean "Local"`));
  });

  test('exit 0 with warnings only', async () => {
    const io = captureOutput();
    expect(await main(['validate', repoPath('test/fixtures/config/invalid/W_SHADOWED_RULE.yaml')], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('warning W_SHADOWED_RULE');
  });

  test('exit 2 when the file cannot be read, and on wrong usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-cli-'));
    expect(await main(['validate', join(dir, 'missing.yaml')], captureOutput())).toBe(2);
    expect(await main(['validate'], captureOutput())).toBe(2);
    expect(await main(['validate', 'a', 'b'], captureOutput())).toBe(2);
    expect(await main(['no-such-command'], captureOutput())).toBe(2);
  });

  test('--json prints one document with every diagnostic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-cli-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'UMDialPlans:\n  - Name: A\n    NumberOfDigitsInExtension: 0\n    Colour: blue\n');
    const io = captureOutput();
    expect(await main(['validate', '--json', file], io)).toBe(1);
    expect(io.stdout).toHaveLength(1);
    const doc = JSON.parse(io.stdout[0]!);
    expect(doc).toMatchObject({ file, valid: false, errors: 2, warnings: 0 });
    expect(doc.diagnostics.map((d: { code: string; line: number }) => [d.code, d.line])).toEqual([['E_RANGE', 3], ['E_UNKNOWN_KEY', 4]]);
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', property: 'UMDialPlans[A].NumberOfDigitsInExtension', path: ['UMDialPlans', 0, 'NumberOfDigitsInExtension'], expected: 'at least 1', found: 'number 0' });
  });
});
