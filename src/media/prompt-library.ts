import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaArgumentError, MediaFileError } from './errors.js';
import type { CustomPromptTarget } from './custom-prompt-path.js';
import { customPromptPath } from './custom-prompt-path.js';
import type { PlayItem } from './player.js';
import { PromptMissingError } from './prompt-errors.js';
import type { PromptProblem } from './prompt-errors.js';
import type { PromptManifest } from './prompt-manifest.js';
import { readPromptManifest } from './prompt-manifest.js';
import { DIGIT_PROMPTS, SYSTEM_PROMPT_IDS } from './system-prompts.js';
import type { SystemPromptId } from './system-prompts.js';
import type { DtmfDigit } from './telephone-event.js';
import type { WavCache } from './wav-cache.js';
import { readWavFile } from './wav-file.js';

/** The manifest's file name inside the system prompt directory. */
export const PROMPT_MANIFEST_FILE = 'manifest.json';

/** Options of {@link PromptLibrary.load}. */
export interface PromptLibraryOptions {
  /** The system prompts: `manifest.json` and `<id>.wav` (the repository's `prompts/`). */
  systemDirectory: string;
  /** Custom prompts imported by `openum prompts import` (`<Server.DataDirectory>/prompts`). */
  customDirectory: string;
  /** When given, every system prompt is read through it, so calls find them already decoded. */
  cache?: WavCache;
}

/**
 * The system prompts (checked complete and playable at load) and the custom prompts of dial plans and
 * auto attendants, as {@link PlayItem}s for the player. Immutable once loaded.
 */
export class PromptLibrary {
  /** Where the system prompts are. */
  readonly systemDirectory: string;
  /** Where custom prompts are. */
  readonly customDirectory: string;
  /** The manifest the library was loaded from. */
  readonly manifest: PromptManifest;

  private constructor(options: PromptLibraryOptions, manifest: PromptManifest) {
    this.systemDirectory = options.systemDirectory;
    this.customDirectory = options.customDirectory;
    this.manifest = manifest;
  }

  /**
   * Reads the manifest and checks every system prompt — each manifest entry and each id the code
   * uses — is an 8 kHz mono 16-bit WAV with audio. Throws {@link PromptMissingError} listing every
   * problem, or PromptManifestError when the manifest itself is bad.
   */
  static async load(options: PromptLibraryOptions): Promise<PromptLibrary> {
    const manifestPath = join(options.systemDirectory, PROMPT_MANIFEST_FILE);
    const manifest = await readPromptManifest(manifestPath);
    const read = options.cache ? (path: string) => options.cache!.get(path) : readWavFile;
    const ids = [...new Set([...Object.keys(manifest.prompts), ...SYSTEM_PROMPT_IDS])];
    const checks = await Promise.all(ids.map(async (id): Promise<PromptProblem | undefined> => {
      const path = join(options.systemDirectory, `${id}.wav`);
      // An id the code plays but nobody described would be regenerated away: report it as missing.
      if (!Object.hasOwn(manifest.prompts, id)) return { id, path, problem: 'missing', detail: `no entry in ${PROMPT_MANIFEST_FILE}` };
      try {
        const samples = await read(path);
        return samples.length === 0 ? { id, path, problem: 'invalid', detail: 'no audio' } : undefined;
      } catch (error) {
        if (error instanceof MediaFileError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
          return { id, path, problem: 'missing', detail: 'no file' };
        }
        return { id, path, problem: 'invalid', detail: error instanceof Error ? error.message : String(error) };
      }
    }));
    const problems = checks.filter((p): p is PromptProblem => p !== undefined);
    if (problems.length > 0) throw new PromptMissingError(options.systemDirectory, problems);
    return new PromptLibrary(options, manifest);
  }

  /** The file of a system prompt. */
  path(id: SystemPromptId): string {
    if (!Object.hasOwn(this.manifest.prompts, id)) throw new MediaArgumentError(`no system prompt "${String(id)}"`);
    return join(this.systemDirectory, `${id}.wav`);
  }

  /** System prompts played back to back, as player items. */
  items(...ids: SystemPromptId[]): PlayItem[] {
    return ids.map((id) => ({ kind: 'file', path: this.path(id) }));
  }

  /**
   * A digit string spoken key by key (`50101` → five, zero, one, zero, one); `*` and `#` are star
   * and pound. Throws {@link MediaArgumentError} for any other character, rather than skip it.
   */
  digits(digits: string): PlayItem[] {
    return [...digits].map((digit) => {
      const id = DIGIT_PROMPTS[digit as DtmfDigit];
      if (id === undefined) throw new MediaArgumentError(`cannot speak "${digit}" in "${digits}": only 0-9, * and #`);
      return { kind: 'file', path: this.path(id) };
    });
  }

  /** Where a dial plan's or auto attendant's custom prompt lives (whether or not it was imported). */
  customPath(target: CustomPromptTarget): string {
    return customPromptPath(this.customDirectory, target);
  }

  /**
   * The custom prompt as a player item, or undefined when it was never imported (the caller then
   * plays the system prompt, as Exchange does when a custom prompt is unset).
   */
  async findCustom(target: CustomPromptTarget): Promise<PlayItem | undefined> {
    const path = this.customPath(target);
    try {
      await access(path);
    } catch {
      return undefined;
    }
    return { kind: 'file', path };
  }
}
