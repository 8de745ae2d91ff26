import { spawn } from 'node:child_process';
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
  const local = options.localAddress ?? '127.0.0.1';
  return new Promise((resolve) => {
    const child = spawn(SIPP, [...args, '-i', local, '-mi', local, '-nostdin', '-timeout', '30s', '-timeout_error'], {
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
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output: output.slice(-3000) });
    });
  });
}
