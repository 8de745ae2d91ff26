// Concurrent calls with media: N SIPp callers each stream G.711 into openum's test extension and
// receive its audio, held for a while. Prints per N: failed calls, share of RTP packets received,
// openum CPU and RSS per call at the plateau, and the pacing error of openum's outgoing RTP
// (p50/p99/max over the plateau: how late each 20 ms tick started, and how late its last packet left).
// Figures only, never pass/fail. OPENUM_BENCH_MEDIA_THREADS / OPENUM_BENCH_MEDIA_PRIORITY set Server.Rtp.
//
//   npm run build && node dist/bench/concurrent-media.js [holdSeconds=90] [counts=250,500,750,1000,1250,1500]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PORTS, metricValue, processUsage, REPO, startOpenumProcess } from './support/openum-process.js';
import { runSippBench } from './support/sipp-runner.js';

// The media clock keeps a one-minute window of pacing samples: a hold of 90 s leaves it inside the plateau.
const holdSeconds = Number(process.argv[2] ?? 90);
const counts = (process.argv[3] ?? '250,500,750,1000,1250,1500').split(',').map(Number);
const rampRate = 100; // calls/s while ramping up

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let best = 0;
console.log(`concurrent media: ${holdSeconds} s hold, ramp ${rampRate} calls/s, PCMU both ways, SIPp on the same machine (${REPO})`);
for (const n of counts) {
  const openum = await startOpenumProcess(n + 100);
  const pid = openum.child.pid!;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'openum-bench-media-'));
    const rampSeconds = n / rampRate;
    const sipp = runSippBench(dir, [`127.0.0.1:${BENCH_PORTS.sip}`, '-sf', join(REPO, 'sipp-scenarios/media-load.xml'), '-s', '99999', '-d', String(holdSeconds * 1000), '-r', String(rampRate), '-l', String(n), '-m', String(n), '-max_socket', String(n * 2 + 100)], (rampSeconds + holdSeconds + 90) * 1000);
    // Sample the plateau: from when the last call is up until shortly before the first ones hang up.
    await sleep((rampSeconds + 2) * 1000);
    const plateauStart = processUsage(pid);
    const t0 = performance.now();
    const window = Math.max(3, holdSeconds - rampSeconds - 4);
    await sleep(window * 1000);
    const plateauEnd = processUsage(pid);
    const health = await openum.health();
    const active = Number(health['activeCalls']);
    const clock = health['clock'] as Record<'pacingErrorMs' | 'tickDoneErrorMs', { p50: number; p99: number; max: number }>;
    const cpu = ((plateauEnd.cpuSeconds - plateauStart.cpuSeconds) / ((performance.now() - t0) / 1000)) * 100;
    const run = await sipp;
    const metrics = await openum.metrics();
    const received = metricValue(metrics, 'openum_rtp_packets_in_total');
    const lost = metricValue(metrics, 'openum_rtp_packets_lost_total');
    const sent = metricValue(metrics, 'openum_rtp_packets_out_total');
    const share = received + lost === 0 ? 0 : (received / (received + lost)) * 100;
    console.log(
      `N=${String(n).padStart(5)}: ${run.successful} ok, ${run.failed} failed (sipp exit ${run.code}); ${active} active at the plateau; RTP in ${received}, lost ${lost} (${share.toFixed(3)} % received), out ${sent}; openum CPU ${cpu.toFixed(0)} % of a core (${(cpu / Math.max(1, active)).toFixed(3)} %/call), RSS ${(plateauEnd.rssBytes / 2 ** 20).toFixed(0)} MiB (${(plateauEnd.rssBytes / 1024 / Math.max(1, active)).toFixed(0)} KiB/call); pacing error p50 ${clock.pacingErrorMs.p50.toFixed(2)} ms, p99 ${clock.pacingErrorMs.p99.toFixed(2)} ms, max ${clock.pacingErrorMs.max.toFixed(2)} ms; ticks done (last packet sent) p50 ${clock.tickDoneErrorMs.p50.toFixed(2)} ms, p99 ${clock.tickDoneErrorMs.p99.toFixed(2)} ms after due; ${health['mediaThreads']} media threads`,
    );
    if (run.failed === 0 && run.code === 0 && share >= 99.9) best = n;
    else break;
  } finally {
    await openum.stop();
  }
  await sleep(2000);
}
console.log(`highest N with 0 failed calls and >= 99.9 % of RTP received: ${best}`);
