import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PromptManifestError } from './prompt-errors.js';

/** A prompt id: kebab-case, also its file name without `.wav`. */
export const PROMPT_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const spoken = z.strictObject({
  group: z.string(),
  /** What the prompt says (what a recording should say too). */
  text: z.string().min(1),
  /** What espeak-ng is given when the spelling misleads it ("PIN" → "pin"). */
  say: z.string().min(1).optional(),
  /** A hand-made recording: the generator leaves the file alone. */
  recorded: z.boolean().optional(),
});

const tone = z.strictObject({
  group: z.string(),
  tone: z.strictObject({
    frequencyHz: z.number().positive(),
    durationMs: z.number().positive(),
    levelDbfs: z.number().max(0),
    rampMs: z.number().min(0),
  }),
  recorded: z.boolean().optional(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  format: z.strictObject({
    sampleRate: z.literal(8000),
    channels: z.literal(1),
    bitsPerSample: z.literal(16),
    encoding: z.literal('signed-integer'),
  }),
  /** espeak-ng and sox settings; read by scripts/generate-prompts.sh only. */
  generator: z.record(z.string(), z.unknown()),
  prompts: z.record(z.string().regex(PROMPT_ID_PATTERN, { message: 'kebab-case id' }), z.union([spoken, tone])),
});

/** prompts/manifest.json, as scripts/generate-prompts.sh and {@link PromptLibrary} read it. */
export type PromptManifest = z.output<typeof manifestSchema>;

/** One manifest entry: spoken text, or a generated tone. */
export type PromptManifestEntry = PromptManifest['prompts'][string];

/** Checks a parsed manifest document; throws {@link PromptManifestError} naming the first problems. */
export function parsePromptManifest(document: unknown, path: string): PromptManifest {
  const result = manifestSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new PromptManifestError(path, `not a prompt manifest: ${problems.join('; ')}`);
}

/** Reads and checks a manifest file. */
export async function readPromptManifest(path: string): Promise<PromptManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PromptManifestError(path, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, error);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PromptManifestError(path, `not JSON: ${(error as Error).message}`, error);
  }
  return parsePromptManifest(document, path);
}
