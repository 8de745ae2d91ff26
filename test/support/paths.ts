import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root, for tests that read examples, fixtures and docs. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A path below the repository root. */
export function repoPath(...parts: string[]): string {
  return resolve(REPO_ROOT, ...parts);
}
