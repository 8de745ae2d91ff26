import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's prompts/ folder, found by walking up from this module (it runs from src/app under
 * jest and from dist/src/app when built).
 */
export function systemPromptsDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'prompts', 'manifest.json'))) return join(dir, 'prompts');
    dir = dirname(dir);
  }
  throw new Error('the system prompts folder (prompts/manifest.json) is missing from this installation');
}
