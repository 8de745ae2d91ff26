// SIPp as the called phones of Play on Phone: one UAS process answering every INVITE that reaches its
// port (sipp-scenarios/pop-load-answer.xml: 180, 200 with an SDP naming the RTP sink, the 200 again on a
// retransmitted INVITE, waits for openum's BYE), with its statistics written every second so the bench
// can read how many calls were up at once.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processUsage, REPO } from './openum-process.js';

/** What the phones saw, from SIPp's per-second statistics. */
export interface SippPhoneStats {
  /** Exit code (null when killed). */
  code: number | null;
  successful: number;
  failed: number;
  /** Most calls SIPp had at once in any 1 s sample. */
  peakCurrent: number;
  /** SIPp's cumulative failure columns that are not 0 (e.g. FailedUnexpectedMessage(C)). */
  failures: Record<string, number>;
  /** SIPp's folder: statistics and its error log (`-trace_err`: every unexpected message). */
  dir: string;
  /** Calls SIPp aborted, by where it was and what came (from the error log), e.g. "sending 200 (index 2) got ACK". */
  aborts: Record<string, number>;
  /** Messages for calls SIPp had already finished (e.g. openum's BYE retransmitted after SIPp's 200 to it). */
  deadCallMessages: number;
  cpuSeconds: number;
}

/** A running SIPp phone. */
export interface SippPhone {
  child: ChildProcess;
  /** Stops SIPp (SIGINT, then SIGKILL after 5 s) and reads its statistics. */
  stop(): Promise<SippPhoneStats>;
}

function errorLog(dir: string): { aborts: Record<string, number>; deadCallMessages: number } {
  const file = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
  const aborts: Record<string, number> = {};
  if (!file) return { aborts, deadCallMessages: 0 };
  const text = readFileSync(join(dir, file), 'latin1');
  for (const m of text.matchAll(/Aborting call on unexpected message for Call-Id '[^']*': while (\w+ '?\w*'? ?\(index \d+\)), received '(\S+)/g)) {
    const key = `${m[1]} got ${m[2]}`;
    aborts[key] = (aborts[key] ?? 0) + 1;
  }
  return { aborts, deadCallMessages: text.match(/Dead call /g)?.length ?? 0 };
}

function statRows(dir: string): Record<string, string>[] {
  const file = readdirSync(dir).find((f) => /_\d+_\.csv$/.test(f));
  if (!file) return [];
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const header = lines[0]!.split(';');
  return lines.slice(1).map((line) => {
    const cells = line.split(';');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** Starts `sipp -sf pop-load-answer.xml` as a UAS on 127.0.0.1:`sipPort`, its SDP pointing at `rtpPort`. */
export async function startSippPhone(sipPort: number, rtpPort: number, mediaPort: number): Promise<SippPhone> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-bench-pop-sipp-'));
  const args = [
    '-sf', join(REPO, 'sipp-scenarios/pop-load-answer.xml'),
    '-p', String(sipPort), '-key', 'rtp_port', String(rtpPort), '-mp', String(mediaPort),
    '-i', '127.0.0.1', '-mi', '127.0.0.1', '-nostdin', '-trace_stat', '-fd', '1', '-trace_err', '-max_recv_loops', '5000',
  ];
  const child = spawn('/usr/bin/sipp', args, { cwd: dir, stdio: 'ignore' });
  let cpuSeconds = 0;
  const sampler = setInterval(() => {
    try {
      if (child.pid !== undefined) cpuSeconds = processUsage(child.pid).cpuSeconds;
    } catch {
      // exited between two samples
    }
  }, 1000);
  // SIPp writes its first statistics row once it is listening.
  for (let i = 0; i < 50 && !readdirSync(dir).some((f) => f.endsWith('_.csv')); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.exitCode !== null || !existsSync(dir)) throw new Error(`sipp (phone) did not start: ${args.join(' ')}`);
  let stopped: Promise<SippPhoneStats> | undefined;
  return {
    child,
    stop: () =>
      (stopped ??= new Promise((resolveStop) => {
        const finish = (code: number | null) => {
          clearInterval(sampler);
          const rows = statRows(dir);
          const last = rows[rows.length - 1] ?? {};
          const failures: Record<string, number> = {};
          for (const [key, value] of Object.entries(last)) if (key.startsWith('Failed') && key.endsWith('(C)') && Number(value) > 0) failures[key] = Number(value);
          resolveStop({
            code,
            successful: Number(last['SuccessfulCall(C)'] ?? 0),
            failed: Number(last['FailedCall(C)'] ?? 0),
            peakCurrent: Math.max(0, ...rows.map((r) => Number(r['CurrentCall'] ?? 0))),
            failures,
            dir,
            ...errorLog(dir),
            cpuSeconds,
          });
        };
        if (child.exitCode !== null) return finish(child.exitCode);
        try {
          if (child.pid !== undefined) cpuSeconds = processUsage(child.pid).cpuSeconds;
        } catch {
          // already gone
        }
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('close', (code) => {
          clearTimeout(killer);
          finish(code);
        });
        child.kill('SIGINT');
      })),
  };
}
