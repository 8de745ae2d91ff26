import type { CommandOutput } from '../../src/cli/output.js';

/** A CommandOutput that keeps what a command printed. */
export function captureOutput(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
