// Call set-up rate: SIPp's built-in uac against openum's test extension, one sustained step per rate.
// Prints, per step: calls, failures, INVITE→200 latency p50/p99, openum CPU; then the highest rate
// with 0 failed calls. Figures only, never pass/fail.
//
//   npm run build && node dist/bench/setup-rate.js [seconds=60] [rates=200,300,400,500,600,800]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PORTS, percentile, processUsage, REPO, startOpenumProcess } from './support/openum-process.js';
import { runSippBench } from './support/sipp-runner.js';

const seconds = Number(process.argv[2] ?? 60);
const rates = (process.argv[3] ?? '200,300,400,500,600,800').split(',').map(Number);
const holdMs = 200;

const openum = await startOpenumProcess(20000);
const pid = openum.child.pid!;
let best = 0;
try {
  console.log(`setup rate: ${seconds} s per step, calls held ${holdMs} ms, SIPp -sn uac over UDP, openum pid ${pid} (${REPO})`);
  for (const rate of rates) {
    const dir = mkdtempSync(join(tmpdir(), 'openum-bench-sipp-'));
    const before = processUsage(pid);
    const started = performance.now();
    const run = await runSippBench(dir, [`127.0.0.1:${BENCH_PORTS.sip}`, '-sn', 'uac', '-s', '99999', '-r', String(rate), '-m', String(rate * seconds), '-d', String(holdMs), '-l', String(rate * 4), '-max_recv_loops', '2000'], (seconds + 60) * 1000);
    const wall = (performance.now() - started) / 1000;
    const after = processUsage(pid);
    const rt = run.responseTimesMs;
    const cpu = ((after.cpuSeconds - before.cpuSeconds) / wall) * 100;
    console.log(
      `${String(rate).padStart(5)} calls/s: ${run.successful} ok, ${run.failed} failed (sipp exit ${run.code}); INVITE→200 p50 ${percentile(rt, 50).toFixed(1)} ms, p99 ${percentile(rt, 99).toFixed(1)} ms, max ${percentile(rt, 100).toFixed(1)} ms; openum CPU ${cpu.toFixed(0)} % of a core, RSS ${(after.rssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    if (run.failed === 0 && run.code === 0 && run.successful >= rate * seconds) best = rate;
    else break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.log(`highest sustained rate with 0 failed calls: ${best} calls/s`);
} finally {
  await openum.stop();
}
