// Runs SIPp for benchmarks and reads its CSV statistics.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './openum-process.js';

/** What a SIPp run reported. */
export interface SippRun {
  code: number | null;
  successful: number;
  failed: number;
  /** Response times (INVITE → 200), ms, sorted. */
  responseTimesMs: number[];
}

function lastStatRow(dir: string): Record<string, string> {
  const file = readdirSync(dir).find((f) => f.endsWith('_.csv') || /_\d+_\.csv$/.test(f));
  if (!file) return {};
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const header = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(header.map((h, i) => [h, last[i] ?? '']));
}

function responseTimes(dir: string): number[] {
  const file = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (!file) return [];
  return readFileSync(join(dir, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(';')[1]))
    .filter((n) => Number.isFinite(n))
    .sort((a, b) => a - b);
}

/** Runs SIPp in `dir` (its CSV files land there) with statistics on; bounded by `hardLimitMs`. */
export function runSippBench(dir: string, args: readonly string[], hardLimitMs: number): Promise<SippRun> {
  // Scenario media paths are relative to SIPp's working folder, where its CSV files also land.
  if (!existsSync(join(dir, 'media'))) symlinkSync(join(REPO, 'sipp-scenarios/media'), join(dir, 'media'));
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/sipp', [...args, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-nostdin', '-trace_stat', '-fd', '1', '-trace_rtt', '-rtt_freq', '1', '-timeout_error'], { cwd: dir, stdio: 'ignore' });
    const killer = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
    child.on('close', (code) => {
      clearTimeout(killer);
      const row = lastStatRow(dir);
      resolve({ code, successful: Number(row['SuccessfulCall(C)'] ?? 0), failed: Number(row['FailedCall(C)'] ?? 0), responseTimesMs: responseTimes(dir) });
    });
  });
}
