import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_DIAGNOSTIC_CODES, validateConfigurationFile } from '../../../src/app/index.js';
import { MAX_CONFIG_BYTES } from '../../../src/config/index.js';
import { repoPath } from '../../support/paths.js';

const FIXTURES = repoPath('test/fixtures/config/invalid');
/** Codes about the file itself, which a fixture file cannot carry; tested below. */
const FILE_CODES = ['E_FILE_UNREADABLE', 'E_FILE_TOO_LARGE'];

describe('every validation code', () => {
  const fixtures = readdirSync(FIXTURES).map((f) => f.replace(/\.yaml$/, ''));

  test('has a fixture that triggers it (or is a file-level code)', () => {
    const missing = Object.keys(ALL_DIAGNOSTIC_CODES).filter((c) => !fixtures.includes(c) && !FILE_CODES.includes(c));
    expect(missing).toEqual([]);
  });

  test('no fixture is named after a code that does not exist', () => {
    expect(fixtures.filter((f) => !(f in ALL_DIAGNOSTIC_CODES))).toEqual([]);
  });

  test.each(fixtures)('%s.yaml produces %s with a line, and the right severity', (code) => {
    const result = validateConfigurationFile(join(FIXTURES, `${code}.yaml`));
    const hit = result.diagnostics.find((d) => d.code === code);
    expect(hit).toBeDefined();
    expect(hit!.severity).toBe(code.startsWith('W_') ? 'warning' : 'error');
    expect(hit!.line).toBeGreaterThanOrEqual(1);
    expect(hit!.file).toBe(join(FIXTURES, `${code}.yaml`));
    // A warning-only fixture stays loadable; an error fixture never yields a configuration.
    expect(result.configuration === undefined).toBe(code.startsWith('E_'));
  });

  test('is documented in docs/configuration.md', () => {
    const doc = readFileSync(repoPath('docs/configuration.md'), 'utf8');
    expect(Object.keys(ALL_DIAGNOSTIC_CODES).filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});

describe('file-level problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openum-config-'));

  test('a missing file is E_FILE_UNREADABLE and marked unreadable', () => {
    const result = validateConfigurationFile(join(dir, 'nope.yaml'));
    expect(result.readable).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E_FILE_UNREADABLE']);
  });

  test('a directory is E_FILE_UNREADABLE', () => {
    expect(validateConfigurationFile(dir).diagnostics.map((d) => d.code)).toEqual(['E_FILE_UNREADABLE']);
  });

  test('a file over 10 MB is refused before parsing', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    const result = validateConfigurationFile(big);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E_FILE_TOO_LARGE']);
    expect(result.readable).toBe(false);
  });

  test('binary junk is E_NOT_CONFIG, not a crash', () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe]));
    expect(validateConfigurationFile(junk).diagnostics.map((d) => d.code)).toEqual(['E_NOT_CONFIG']);
  });
});
