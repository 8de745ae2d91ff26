import { spawnSync } from 'node:child_process';
import { repoPath } from '../../support/paths.js';

// The installed command, as users run it: the compiled CLI behind bin/openum.js (built by `npm test`).
function openum(...args: string[]) {
  return spawnSync(process.execPath, [repoPath('bin/openum.js'), ...args], { encoding: 'utf8', timeout: 20000 });
}

describe('bin/openum.js', () => {
  test('validate exits 0, 1 and 2 as documented', () => {
    expect(openum('validate', repoPath('examples/contoso/openum.yaml')).status).toBe(0);
    const bad = openum('validate', repoPath('test/fixtures/config/invalid/E_DUPLICATE_EXTENSION.yaml'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('E_DUPLICATE_EXTENSION');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(openum('validate', repoPath('no/such/file.yaml')).status).toBe(2);
  });

  test('check-dial --cases on the example passes', () => {
    const r = openum('check-dial', '--config', repoPath('examples/contoso/openum.yaml'), '--cases', repoPath('examples/contoso/cases.csv'));
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.status).toBe(0);
  });
});
