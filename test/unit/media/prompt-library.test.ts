import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customPromptFileName, customPromptPath } from '../../../src/media/custom-prompt-path.js';
import { PromptManifestError, PromptMissingError } from '../../../src/media/prompt-errors.js';
import { PromptLibrary } from '../../../src/media/prompt-library.js';
import { PROMPT_ID_PATTERN, readPromptManifest } from '../../../src/media/prompt-manifest.js';
import { SYSTEM_PROMPT_IDS } from '../../../src/media/system-prompts.js';
import { BEEP, toneSamples } from '../../../src/media/tone.js';
import { WavCache } from '../../../src/media/wav-cache.js';
import { readWavFile } from '../../../src/media/wav-file.js';
import { repoPath } from '../../support/paths.js';

const SYSTEM = repoPath('prompts');
const tmp = mkdtempSync(join(tmpdir(), 'openum-prompts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dbfs(samples: Int16Array): { rms: number; peak: number } {
  let sum = 0;
  let peak = 0;
  for (const s of samples) {
    sum += s * s;
    peak = Math.max(peak, Math.abs(s));
  }
  return { rms: 10 * Math.log10(sum / samples.length / 32768 ** 2), peak: 20 * Math.log10(peak / 32768) };
}

/** A private copy of the system prompts to break. */
function copyOfSystemPrompts(name: string): string {
  const dir = join(tmp, name);
  cpSync(SYSTEM, dir, { recursive: true });
  return dir;
}

describe('system prompts: manifest and files agree', () => {
  test('the manifest lists exactly the ids the code uses, kebab-case, in the same order', async () => {
    const manifest = await readPromptManifest(join(SYSTEM, 'manifest.json'));
    expect(Object.keys(manifest.prompts)).toEqual([...SYSTEM_PROMPT_IDS]);
    for (const id of SYSTEM_PROMPT_IDS) expect(id).toMatch(PROMPT_ID_PATTERN);
  });

  test('every manifest entry has its WAV and every WAV has its entry (run scripts/generate-prompts.sh)', async () => {
    const manifest = await readPromptManifest(join(SYSTEM, 'manifest.json'));
    const files = readdirSync(SYSTEM).filter((f) => f.endsWith('.wav')).map((f) => f.slice(0, -'.wav'.length));
    expect(files.sort()).toEqual(Object.keys(manifest.prompts).sort());
    // load() reads and checks each one: 8 kHz mono 16-bit with audio.
    await expect(PromptLibrary.load({ systemDirectory: SYSTEM, customDirectory: tmp })).resolves.toBeInstanceOf(PromptLibrary);
  });

  test('spoken prompts are trimmed and levelled near −16 dBFS RMS, peaks under −1 dBFS', async () => {
    const manifest = await readPromptManifest(join(SYSTEM, 'manifest.json'));
    for (const [id, entry] of Object.entries(manifest.prompts)) {
      if (!('text' in entry)) continue;
      const samples = await readWavFile(join(SYSTEM, `${id}.wav`));
      const { rms, peak } = dbfs(samples);
      expect({ id, rmsOk: rms > -21 && rms < -14, peakOk: peak <= -0.9 }).toEqual({ id, rmsOk: true, peakOk: true });
      // Sound within the first and the last 100 ms: silence was trimmed (a 40 ms pad remains).
      const loud = (s: number) => Math.abs(s) > 300;
      expect({ id, start: samples.findIndex(loud) < 800, end: samples.findLastIndex(loud) > samples.length - 800 }).toEqual({ id, start: true, end: true });
      expect(samples.length).toBeLessThan(15 * 8000);
    }
  });

  test('the tone file is the beep the player synthesises (1 kHz, 250 ms, same level)', async () => {
    const file = await readWavFile(join(SYSTEM, 'tone.wav'));
    const beep = toneSamples(BEEP);
    expect(file.length).toBe(beep.length);
    expect(Math.abs(dbfs(file).rms - dbfs(beep).rms)).toBeLessThan(0.5);
    // 1 kHz at 8 kHz: 8 samples per period, so 2 sign changes every 8 samples.
    let crossings = 0;
    for (let i = 1; i < file.length; i++) if (((file[i - 1] ?? 0) < 0) !== ((file[i] ?? 0) < 0)) crossings++;
    expect(crossings).toBeGreaterThan(480);
    expect(crossings).toBeLessThan(520);
  });
});

describe('PromptLibrary.load failures', () => {
  test('missing and invalid prompts are all named in one OPENUM_MEDIA_PROMPT_MISSING error', async () => {
    const dir = copyOfSystemPrompts('broken');
    unlinkSync(join(dir, 'goodbye.wav'));
    unlinkSync(join(dir, 'digit-7.wav'));
    writeFileSync(join(dir, 'tone.wav'), readFileSync(repoPath('test/fixtures/media/ffmpeg-16k-mono-s16.wav')));
    const error = await PromptLibrary.load({ systemDirectory: dir, customDirectory: tmp }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromptMissingError);
    expect((error as PromptMissingError).code).toBe('OPENUM_MEDIA_PROMPT_MISSING');
    const problems = (error as PromptMissingError).problems.map((p) => [p.id, p.problem]);
    expect(problems).toEqual([
      ['goodbye', 'missing'],
      ['tone', 'invalid'],
      ['digit-7', 'missing'],
    ]);
  });

  test('a manifest id without a generated WAV fails the load, naming it', async () => {
    const dir = copyOfSystemPrompts('extra-id');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.prompts['press-9-to-panic'] = { group: 'common', text: 'Press 9 to panic.' };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = (await PromptLibrary.load({ systemDirectory: dir, customDirectory: tmp }).catch((e: unknown) => e)) as PromptMissingError;
    expect(error.code).toBe('OPENUM_MEDIA_PROMPT_MISSING');
    expect(error.problems).toEqual([expect.objectContaining({ id: 'press-9-to-panic', problem: 'missing', path: join(dir, 'press-9-to-panic.wav') })]);
  });

  test('an id the code uses but the manifest lacks is reported missing even when its file exists', async () => {
    const dir = copyOfSystemPrompts('dropped-id');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    delete manifest.prompts['main-menu'];
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = (await PromptLibrary.load({ systemDirectory: dir, customDirectory: tmp }).catch((e: unknown) => e)) as PromptMissingError;
    expect(error.problems.map((p) => p.id)).toEqual(['main-menu']);
  });

  test('an unreadable or malformed manifest is OPENUM_MEDIA_PROMPT_MANIFEST', async () => {
    const dir = join(tmp, 'bad-manifest');
    mkdirSync(dir);
    await expect(PromptLibrary.load({ systemDirectory: dir, customDirectory: tmp })).rejects.toMatchObject({ code: 'OPENUM_MEDIA_PROMPT_MANIFEST' });
    writeFileSync(join(dir, 'manifest.json'), '{"version": 1, "prompts": {"Not Kebab": {"text": "x"}}}');
    await expect(PromptLibrary.load({ systemDirectory: dir, customDirectory: tmp })).rejects.toBeInstanceOf(PromptManifestError);
  });

  test('with a cache, load decodes every prompt once so calls find them in memory', async () => {
    const cache = new WavCache();
    const library = await PromptLibrary.load({ systemDirectory: SYSTEM, customDirectory: tmp, cache });
    expect(cache.stats).toMatchObject({ misses: SYSTEM_PROMPT_IDS.length, entries: SYSTEM_PROMPT_IDS.length });
    await cache.get(library.path('goodbye'));
    expect(cache.stats.hits).toBe(1);
  });
});

describe('PromptLibrary play items', () => {
  let library: PromptLibrary;
  const custom = join(tmp, 'custom');
  beforeAll(async () => {
    library = await PromptLibrary.load({ systemDirectory: SYSTEM, customDirectory: custom });
  });

  test('items: system prompts back to back as file items', () => {
    expect(library.items('please-leave-a-message-for', 'after-the-tone')).toEqual([
      { kind: 'file', path: join(SYSTEM, 'please-leave-a-message-for.wav') },
      { kind: 'file', path: join(SYSTEM, 'after-the-tone.wav') },
    ]);
  });

  test('digits: one spoken digit per key, star and pound included; anything else refused', () => {
    expect(library.digits('50101').map((i) => (i.kind === 'file' ? i.path : ''))).toEqual(
      ['5', '0', '1', '0', '1'].map((d) => join(SYSTEM, `digit-${d}.wav`)),
    );
    expect(library.digits('*#')).toEqual([
      { kind: 'file', path: join(SYSTEM, 'digit-star.wav') },
      { kind: 'file', path: join(SYSTEM, 'digit-pound.wav') },
    ]);
    expect(library.digits('')).toEqual([]);
    expect(() => library.digits('501-01')).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
    expect(() => library.digits('A')).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
  });

  test('customPath: <custom>/<dial-plans|auto-attendants>/<name lowercased>/<prompt name lowercased>.wav', () => {
    expect(library.customPath({ dialPlan: 'Redmond', name: 'WelcomeGreeting.wav' })).toBe(join(custom, 'dial-plans', 'redmond', 'welcomegreeting.wav'));
    expect(library.customPath({ autoAttendant: 'RedmondMainLine', name: 'AfterHours.WMA' })).toBe(join(custom, 'auto-attendants', 'redmondmainline', 'afterhours.wav'));
    expect(library.customPath({ dialPlan: 'Redmond Sales', name: 'info' })).toBe(join(custom, 'dial-plans', 'redmond sales', 'info.wav'));
    expect(customPromptFileName('menu.v2')).toBe('menu.v2.wav');
    expect(customPromptFileName('song.mp3')).toBe('song.wav');
  });

  test('customPath refuses names that could leave the custom directory', () => {
    for (const target of [
      { dialPlan: 'Redmond', name: '../../etc/passwd' },
      { dialPlan: 'Redmond', name: '..' },
      { dialPlan: 'Redmond', name: '.wav' },
      { dialPlan: 'Redmond', name: '' },
      { dialPlan: '..', name: 'welcome.wav' },
      { autoAttendant: 'a/b', name: 'welcome.wav' },
      { autoAttendant: 'Main', name: 'c:\\x.wav' },
    ]) {
      expect(() => customPromptPath(custom, target)).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' }));
    }
  });

  test('findCustom: undefined until the prompt is imported, then a file item', async () => {
    const target = { autoAttendant: 'RedmondMainLine', name: 'BusinessHours.wav' };
    expect(await library.findCustom(target)).toBeUndefined();
    mkdirSync(join(custom, 'auto-attendants', 'redmondmainline'), { recursive: true });
    writeFileSync(library.customPath(target), readFileSync(repoPath('test/fixtures/media/sox-8k-mono-s16.wav')));
    expect(await library.findCustom(target)).toEqual({ kind: 'file', path: join(custom, 'auto-attendants', 'redmondmainline', 'businesshours.wav') });
  });
});
