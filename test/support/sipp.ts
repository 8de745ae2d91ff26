import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { repoPath } from './paths.js';

/** SIPp from Debian's sip-tester. */
export const SIPP = '/usr/bin/sipp';

/** How a SIPp run ended. */
export interface SippResult {
  /** SIPp's exit code: 0 all calls succeeded, 1 some failed, 97/99 other errors; null when killed. */
  code: number | null;
  /** The last part of its output, for assertion messages. */
  output: string;
}

/** Options of {@link runSipp}. */
export interface RunSippOptions {
  /** Local address SIPp binds (signalling and media). Default 127.0.0.1. */
  localAddress?: string;
  /** Kill SIPp after this long no matter what. */
  hardLimitMs: number;
}

/**
 * Runs SIPp from sipp-scenarios/ (so scenario media paths resolve) with a call count given by the
 * caller and SIPp's own global timeout, so it always ends; bound to loopback.
 */
export function runSipp(args: readonly string[], options: RunSippOptions): Promise<SippResult> {
  return spawnSipp(args, options).done;
}

/**
 * Starts SIPp as {@link runSipp} does and returns at once: the child (to kill it) and its result.
 * `timeoutS` is SIPp's own global timeout (default 30 s); `hardLimitMs` the SIGKILL behind it.
 */
export function spawnSipp(args: readonly string[], options: RunSippOptions & { timeoutS?: number }): { child: ChildProcess; done: Promise<SippResult> } {
  const local = options.localAddress ?? '127.0.0.1';
  const child = spawn(SIPP, [...args, '-i', local, '-mi', local, '-nostdin', '-timeout', `${options.timeoutS ?? 30}s`, '-timeout_error'], {
    cwd: repoPath('sipp-scenarios'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-6000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killer = setTimeout(() => child.kill('SIGKILL'), options.hardLimitMs);
  const done = new Promise<SippResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output: output.slice(-3000) });
    });
  });
  return { child, done };
}
