import { Command, CommanderError } from 'commander';
import { registerResolveCommand } from '../../../src/cli/commands/resolve.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { captureOutput } from '../../support/capture-output.js';
import { repoPath } from '../../support/paths.js';

const CONFIG = repoPath('examples/contoso/openum.yaml');

/** Runs the command in-process the way main() does: commander parse failures are usage errors (2). */
async function run(...argv: string[]) {
  const io = captureOutput();
  let code: number = ExitCode.Ok;
  const program = new Command('openum').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerResolveCommand(program, io, (c) => (code = c));
  try {
    await program.parseAsync(['resolve', ...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  return { code, ...io };
}

describe('openum resolve', () => {
  test('human output: the name, the step and why, then one trace line per step consulted', async () => {
    const r = await run('--config', CONFIG, '--mailbox', 'kim', '+1 (360) 555-0142');
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe('+1 (360) 555-0142 → "Dad" at step 6 (personal-contacts): personal-contact kim.PersonalContacts[0], HomePhone +1 (360) 555-0142');
    expect(r.stdout.slice(1).every((l) => l.startsWith('    step '))).toBe(true);
    expect(r.stdout.at(-1)).toContain('step 6 personal-contacts');
  });

  test('a SIP URI caller resolves at step 0; a mapped number at step 1', async () => {
    expect((await run('--config', CONFIG, '--mailbox', 'kim', 'sip:David@contoso.com')).stdout[0]).toContain('"David Hamilton" at step 0 (sip-resource-identifier)');
    expect((await run('--config', CONFIG, '--mailbox', 'kim', 'tel:+14255550102')).stdout[0]).toContain('"David Hamilton" at step 1 (eum-current-dial-plan)');
  });

  test('--json: one object with the decision, null for what is missing; exit 0 without a name too', async () => {
    const r = await run('--config', CONFIG, '--mailbox', 'david', '--json', '+1 (206) 555-0181');
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(1);
    expect(JSON.parse(r.stdout[0]!)).toMatchObject({
      caller: '+1 (206) 555-0181', mailbox: 'david', dialPlan: 'Redmond',
      name: 'Kim Akers', step: 5, stepName: 'directory-phone-attributes',
      matched: { kind: 'mailbox', id: 'kim', attribute: 'MobilePhone', value: '+1 (206) 555-0181' },
    });
    const none = await run('--config', CONFIG, '--mailbox', 'david', '--json', 'anonymous');
    expect(none.code).toBe(0);
    const decision = JSON.parse(none.stdout[0]!);
    expect(decision).toMatchObject({ name: null, step: 7, stepName: 'no-match', matched: null, shown: null });
    expect(decision.trace.length).toBeGreaterThan(0);
  });

  test('no match in human output shows the number', async () => {
    const r = await run('--config', CONFIG, '--mailbox', 'kim', '+44 20 7946 9999');
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe('+44 20 7946 9999 → no name at step 7 (no-match): shown as +442079469999');
  });

  test('usage errors exit 2: unknown mailbox, missing mailbox, missing caller, invalid configuration', async () => {
    const unknown = await run('--config', CONFIG, '--mailbox', 'nobody', '+14255550101');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.join('\n')).toContain('nobody');
    expect((await run('--config', CONFIG, '+14255550101')).code).toBe(2);
    expect((await run('--config', CONFIG, '--mailbox', 'kim')).code).toBe(2);
    const invalid = await run('--config', repoPath('test/fixtures/config/invalid/E_MASK_X_COUNT.yaml'), '--mailbox', 'kim', '50101');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.join('\n')).toContain('E_MASK_X_COUNT');
  });
});
