// What a long-running peer process (Kamailio, baresip) printed, kept bounded: its start (how it came
// up) and its latest output (what it does now), and whether it has exited.
import type { ChildProcess } from 'node:child_process';

/** A watched child process. */
export interface WatchedChild {
  /** The start and the latest part of stdout+stderr, `[…]` between them when something was dropped. */
  output(): string;
  /** Whether it has exited (or failed to spawn). */
  exited(): boolean;
  /** Resolves once it has exited. */
  closed: Promise<void>;
}

/** Collects a child's stdout and stderr: the first `headChars`, then the last `tailChars`. */
export function watchChild(child: ChildProcess, headChars = 100_000, tailChars = 100_000): WatchedChild {
  let head = '';
  let tail = '';
  let exited = false;
  const keep = (d: Buffer) => {
    const text = d.toString();
    if (head.length < headChars) head += text;
    else tail = (tail + text).slice(-tailChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => {
      exited = true;
      resolve();
    });
    child.on('error', (error) => {
      keep(Buffer.from(`\nspawn failed: ${error.message}\n`));
      exited = true;
      resolve();
    });
  });
  return { output: () => (tail === '' ? head : `${head}\n[…]\n${tail}`), exited: () => exited, closed };
}
