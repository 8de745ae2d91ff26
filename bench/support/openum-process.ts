// Runs the built openum CLI as a child process for benchmarks, so its CPU and memory are its own.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench files run from dist/bench/…). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const portBase = Number(process.env['OPENUM_BENCH_PORT_BASE'] ?? 0);

/**
 * Ports a benchmark's openum listens on (loopback only), and where SIPp's media ports start. Set
 * OPENUM_BENCH_PORT_BASE (e.g. 41000, at most 50000) to move every one of them into base … base + 14000,
 * so that two benchmarks can run at once on a shared machine.
 */
export const BENCH_PORTS: { readonly sip: number; readonly http: number; readonly rtpMin: number; readonly rtpMax: number; readonly sippMedia: number } =
  portBase > 0
    ? { sip: portBase, http: portBase + 1, rtpMin: portBase + 100, rtpMax: portBase + 10099, sippMedia: portBase + 10200 }
    : { sip: 15060, http: 18080, rtpMin: 20000, rtpMax: 39999, sippMedia: 6000 };

/** Options of {@link benchConfigYaml} beyond the call limit; every one has the old default. */
export interface BenchSiteOptions {
  /** The dial plan's AudioCodec (message storage). Default: the schema's default. */
  audioCodec?: 'G711' | 'Gsm' | 'Mp3' | 'Wma';
  /** The dial plan's RecordingIdleTimeout, s. */
  recordingIdleTimeout?: number;
  /** The dial plan's MaxRecordingDuration, min. */
  maxRecordingDuration?: number;
  /** UM mailboxes to generate in the dial plan (one policy): extensions firstExtension, +1, … */
  mailboxes?: number;
  /** First generated extension (5 digits). Default 60000. */
  firstExtension?: number;
}

/** Extension of the i-th generated bench mailbox. */
export function benchExtension(i: number, options: BenchSiteOptions = {}): string {
  return String((options.firstExtension ?? 60000) + i);
}

function benchMailboxesYaml(options: BenchSiteOptions): string {
  const count = options.mailboxes ?? 0;
  if (count === 0) return '';
  const lines = ['UMMailboxPolicies:', '  - { Name: Bench Policy, UMDialPlan: Bench }', 'UMMailboxes:'];
  for (let i = 0; i < count; i++) {
    const ext = benchExtension(i, options);
    lines.push(`  - { Alias: bench${ext}, DisplayName: Bench ${ext}, PrimarySmtpAddress: bench${ext}@bench.test, UMMailboxPolicy: Bench Policy, Extensions: ["${ext}"] }`);
  }
  return lines.join('\n') + '\n';
}

/** A benchmark site: one gateway at 127.0.0.1, the test extension 99999, room for many calls. */
/**
 * The `Server.Rtp` mapping of bench sites. `OPENUM_BENCH_MEDIA_THREADS` and `OPENUM_BENCH_MEDIA_PRIORITY`
 * set `MediaThreads` / `MediaThreadPriority` (default: openum's own defaults), to compare set-ups.
 */
export function benchRtpYaml(): string {
  const threads = process.env['OPENUM_BENCH_MEDIA_THREADS'];
  const priority = process.env['OPENUM_BENCH_MEDIA_PRIORITY'];
  const extra = [...(threads ? [`MediaThreads: ${Number(threads)}`] : []), ...(priority ? [`MediaThreadPriority: ${priority}`] : [])];
  return `{ ${[`Address: 127.0.0.1`, `PortMin: ${BENCH_PORTS.rtpMin}`, `PortMax: ${BENCH_PORTS.rtpMax}`, ...extra].join(', ')} }`;
}

export function benchConfigYaml(maxCalls: number, options: BenchSiteOptions = {}): string {
  const plan = [
    'Name: Bench',
    'NumberOfDigitsInExtension: 5',
    ...(options.audioCodec ? [`AudioCodec: ${options.audioCodec}`] : []),
    ...(options.recordingIdleTimeout !== undefined ? [`RecordingIdleTimeout: ${options.recordingIdleTimeout}`] : []),
    ...(options.maxRecordingDuration !== undefined ? [`MaxRecordingDuration: ${options.maxRecordingDuration}`] : []),
  ].join(', ');
  return `
Server:
  Sip: { Listen: ["udp:127.0.0.1:${BENCH_PORTS.sip}", "tcp:127.0.0.1:${BENCH_PORTS.sip}"] }
  Http: { Listen: "127.0.0.1:${BENCH_PORTS.http}" }
  Rtp: ${benchRtpYaml()}
  DataDirectory: ./data
  MaxCallsAllowed: ${maxCalls}
  TestExtension: "99999"
  LogLevel: warn
  ShutdownGracePeriod: 5
UMDialPlans:
  - { ${plan} }
UMIPGateways:
  - { Name: Loopback, Address: 127.0.0.1, Transport: UDP, UMDialPlans: [Bench] }
${benchMailboxesYaml(options)}`;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function processUsage(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
  const rssPages = Number(fields[21]);
  return { cpuSeconds: ticks / 100, rssBytes: rssPages * 4096 };
}

/** A running openum child. */
export interface OpenumProcess {
  child: ChildProcess;
  dataDirectory: string;
  health(): Promise<Record<string, unknown>>;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Polls the benchmark openum's /healthz every 100 ms until it answers; rejects with `failure` when
 * `child` exits first or `limitMs` passes. Resolves with a function that reads /healthz again.
 */
export async function untilHealthy(child: ChildProcess, limitMs: number, failure: string): Promise<() => Promise<Record<string, unknown>>> {
  const health = async () => (await (await fetch(`http://127.0.0.1:${BENCH_PORTS.http}/healthz`)).json()) as Record<string, unknown>;
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      await health();
      return health;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(failure);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts `node bin/openum.js serve` on a fresh benchmark config; resolves when /healthz answers. */
export async function startOpenumProcess(maxCalls: number, options: BenchSiteOptions = {}): Promise<OpenumProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-bench-'));
  const config = join(dir, 'openum.yaml');
  writeFileSync(config, benchConfigYaml(maxCalls, options));
  // OPENUM_BENCH_CPU_PROF=<folder>: profile openum (written when it exits on SIGTERM).
  const profile = process.env['OPENUM_BENCH_CPU_PROF'];
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, join(REPO, 'bin/openum.js'), 'serve', '--config', config], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${BENCH_PORTS.http}`;
  const health = await untilHealthy(child, 10_000, 'openum did not start');
  return {
    child,
    dataDirectory: join(dir, 'data'),
    health,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** One metric's value from Prometheus text, summed over its label sets. */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
