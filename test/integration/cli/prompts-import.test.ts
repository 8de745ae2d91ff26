import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerPromptsCommands } from '../../../src/cli/commands/prompts.js';
import { readWavFile } from '../../../src/media/wav-file.js';
import { captureOutput } from '../../support/capture-output.js';
import { repoPath } from '../../support/paths.js';

// A copy of the example configuration whose DataDirectory is this test's temporary directory.
const tmp = mkdtempSync(join(tmpdir(), 'openum-prompts-import-'));
const CONFIG = join(tmp, 'openum.yaml');
const DATA = join(tmp, 'data');
const example = readFileSync(repoPath('examples/contoso/openum.yaml'), 'utf8');
writeFileSync(CONFIG, example.replace(/^ {2}DataDirectory: .*$/m, '  DataDirectory: ./data'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function make(tool: string, ...args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', timeout: 20000 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')}: ${r.stderr}`);
}

/** `openum prompts …` in-process, through commander, with main()'s mapping of parse errors to exit 2. */
async function openum(...argv: string[]) {
  const io = captureOutput();
  let code = 0;
  const program = new Command('openum').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerPromptsCommands(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { code, ...io };
}

function rmsDbfs(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return 10 * Math.log10(sum / samples.length / 32768 ** 2);
}

/** Files in a prompt folder, temporaries included (there must be none after any import). */
function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

const DIAL_PLAN_DIR = join(DATA, 'prompts', 'dial-plans', 'redmond');
const AA_DIR = join(DATA, 'prompts', 'auto-attendants', 'redmondmainline');

describe('openum prompts import', () => {
  test('an MP3 becomes the dial plan prompt: 8 kHz mono 16-bit, same duration, path printed', async () => {
    const mp3 = join(tmp, 'welcome.mp3');
    make('ffmpeg', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5:sample_rate=44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '64k', mp3);
    const r = await openum('prompts', 'import', mp3, '--config', CONFIG, '--dial-plan', 'Redmond', '--as', 'Welcome.wav');
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([join(DIAL_PLAN_DIR, 'welcome.wav')]);
    // The example dial plan has no WelcomeGreetingFilename yet: the command says which property to set.
    expect(r.stderr.join('\n')).toContain('WelcomeGreetingFilename');
    const samples = await readWavFile(join(DIAL_PLAN_DIR, 'welcome.wav')); // throws unless 8 kHz mono 16-bit
    expect(Math.abs(samples.length / 8000 - 1.5)).toBeLessThan(0.06);
    expect(rmsDbfs(samples)).toBeGreaterThan(-30); // the sine, not silence
    const header = readFileSync(join(DIAL_PLAN_DIR, 'welcome.wav')).subarray(0, 44);
    expect(header.toString('latin1', 36, 40)).toBe('data'); // canonical 44-byte header
    expect(listing(DIAL_PLAN_DIR)).toEqual(['welcome.wav']);
  });

  test('a 44.1 kHz stereo WAV becomes the auto attendant prompt (names matched case-insensitively)', async () => {
    const wav = join(tmp, 'business-hours.wav');
    make('sox', '-n', '-r', '44100', '-c', '2', '-b', '16', wav, 'synth', '2.0', 'sine', '300', 'gain', '-6');
    const r = await openum('prompts', 'import', wav, '--config', CONFIG, '--auto-attendant', 'redmondmainline', '--as', 'BusinessHoursWelcome.wma');
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([join(AA_DIR, 'businesshourswelcome.wav')]);
    const samples = await readWavFile(r.stdout[0]!);
    expect(Math.abs(samples.length / 8000 - 2.0)).toBeLessThan(0.02);
    expect(rmsDbfs(samples)).toBeGreaterThan(-15);
  });

  test('importing again replaces the prompt atomically and leaves no temporary file', async () => {
    const short = join(tmp, 'short.wav');
    make('sox', '-n', '-r', '16000', '-c', '1', '-b', '16', short, 'synth', '0.5', 'sine', '500');
    const r = await openum('prompts', 'import', short, '--config', CONFIG, '--dial-plan', 'redmond', '--as', 'welcome');
    expect(r.code).toBe(0);
    expect((await readWavFile(join(DIAL_PLAN_DIR, 'welcome.wav'))).length).toBe(4000);
    expect(listing(DIAL_PLAN_DIR)).toEqual(['welcome.wav']);
  });

  test('an unknown dial plan or auto attendant exits 2 and stores nothing', async () => {
    const wav = join(tmp, 'business-hours.wav');
    const before = listing(DIAL_PLAN_DIR);
    const dp = await openum('prompts', 'import', wav, '--config', CONFIG, '--dial-plan', 'Nowhere', '--as', 'welcome.wav');
    expect(dp.code).toBe(2);
    expect(dp.stderr.join('\n')).toContain('Nowhere');
    const aa = await openum('prompts', 'import', wav, '--config', CONFIG, '--auto-attendant', 'Nobody', '--as', 'welcome.wav');
    expect(aa.code).toBe(2);
    expect(existsSync(join(DATA, 'prompts', 'dial-plans', 'nowhere'))).toBe(false);
    expect(existsSync(join(DATA, 'prompts', 'auto-attendants', 'nobody'))).toBe(false);
    expect(listing(DIAL_PLAN_DIR)).toEqual(before);
  });

  test('usage errors exit 2: both or neither owner, a name with a path, a missing input, a missing option', async () => {
    const wav = join(tmp, 'business-hours.wav');
    const cases: [string[], RegExp][] = [
      [['--dial-plan', 'Redmond', '--auto-attendant', 'RedmondMainLine', '--as', 'x.wav'], /cannot be used with/],
      [['--as', 'x.wav'], /exactly one of --dial-plan/],
      [['--dial-plan', 'Redmond', '--as', '../../x.wav'], /--as: prompt name/],
      [['--dial-plan', 'Redmond'], /required option '--as/],
    ];
    for (const [options, message] of cases) {
      const r = await openum('prompts', 'import', wav, '--config', CONFIG, ...options);
      expect({ options, code: r.code, stderr: r.stderr.join('\n') }).toEqual({ options, code: 2, stderr: expect.stringMatching(message) });
    }
    const missing = await openum('prompts', 'import', join(tmp, 'no-such.mp3'), '--config', CONFIG, '--dial-plan', 'Redmond', '--as', 'x.wav');
    expect(missing.code).toBe(2);
    expect(missing.stderr.join('\n')).toContain('cannot read the file: ENOENT');
    expect(existsSync(join(DIAL_PLAN_DIR, 'x.wav'))).toBe(false);
  });

  test('a file ffmpeg cannot decode exits 1 and leaves nothing behind', async () => {
    const junk = join(tmp, 'junk.mp3');
    writeFileSync(junk, 'this is not audio at all\n'.repeat(50));
    const before = listing(DIAL_PLAN_DIR);
    const r = await openum('prompts', 'import', junk, '--config', CONFIG, '--dial-plan', 'Redmond', '--as', 'junk.wav');
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.stderr.join('\n')).toContain(junk);
    expect(listing(DIAL_PLAN_DIR)).toEqual(before);
  });

  test('without ffmpeg: exit 2 naming the Debian package', async () => {
    const wav = join(tmp, 'business-hours.wav');
    const r = await openum('prompts', 'import', wav, '--config', CONFIG, '--dial-plan', 'Redmond', '--as', 'x.wav', '--ffmpeg', join(tmp, 'no-ffmpeg-here'));
    expect(r.code).toBe(2);
    expect(r.stderr.join('\n')).toMatch(/Debian package ffmpeg/);
    expect(listing(DIAL_PLAN_DIR)).not.toContain('x.wav');
  });
});
