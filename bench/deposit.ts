// Message deposit: N concurrent SIPp callers, each forwarded (Diversion) to a different UM mailbox,
// skip the greeting with #, stream a message of `messageSeconds` and end it with #. Figures only,
// never pass/fail. Prints:
//  1. encode time per message for each storage codec (ffmpeg on a master of the message length;
//     G711 stores the master itself: a durable copy);
//  2. per N, with G711 storage, all calls up at once (ramp 100 calls/s): failed calls, messages
//     stored, whether each is complete, RTP packets received, messages stored/s, openum CPU and the
//     media clock's pacing error; then the highest N with 0 failed calls and every message complete;
//  3. the pacing comparison at one N: a sustained load (N calls always up, new ones as old ones end,
//     for `compareSeconds` after the first calls end) once with G711 and once with Mp3 storage, where
//     finished messages are encoded in openum's pool (2 ffmpeg at a time) beside the live calls.
//
// "Complete" is judged two ways, both required:
//  - packets: openum's RTP packets received ≥ 99.9 % of those SIPp sent, where sent = received + lost
//    as openum counts them from RTP sequence numbers (summed over calls; the nominal messageSeconds × 50
//    per call is printed beside it);
//  - per message: one row per call, and its stored duration ≥ the streamed length − 500 ms (openum trims
//    the trailing silence; the 3 s speech loop ends in ~100 ms of silence). Lost packets are concealed,
//    not dropped, so duration alone cannot show loss — hence the packet count.
//
//   npm run build && node dist/bench/deposit.js [messageSeconds=30] [counts=250,500,750,1000,1250] [compareN=highest passing; 0 skips] [compareSeconds=60]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileDurably } from '../src/mailbox/durable-file.js';
import { encodeAudio, STORAGE_FORMATS } from '../src/mailbox/index.js';
import type { StorageCodec } from '../src/mailbox/index.js';
import { benchExtension, BENCH_PORTS, metricValue, percentile, processUsage, REPO, startOpenumProcess } from './support/openum-process.js';
import type { BenchSiteOptions } from './support/openum-process.js';
import { runSippBench } from './support/sipp-runner.js';
import { deliveryRates, DeliveryTimeline, StoredMessages } from './support/stored-messages.js';

const messageSeconds = Number(process.argv[2] ?? 30);
const counts = (process.argv[3] ?? '250,500,750,1000,1250').split(',').map(Number);
const compareArg = process.argv[4];
const compareSeconds = Number(process.argv[5] ?? 60);
const rampRate = 100; // calls/s in the all-at-once steps
// Greeting skip (0.5 s + answer), stream start (1 s after), the stream, 0.2 s, "message recorded, goodbye" (2.7 s).
const callSeconds = messageSeconds + 5;
const durationToleranceMs = 500;
const minShare = 99.9;
const site: BenchSiteOptions = { mailboxes: Math.max(2000, ...counts, Number(compareArg ?? 0)), recordingIdleTimeout: 5, maxRecordingDuration: 20 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy and total jiffies of the whole machine (SIPp, openum and ffmpeg together). */
function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - (cpu[3] ?? 0) - (cpu[4] ?? 0), total };
}

// 1. Encode time per codec.
function makeMaster(dir: string): string {
  const master = join(dir, 'master.wav');
  const loops = Math.ceil(messageSeconds / 3);
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops), '-f', 'mulaw', '-ar', '8000', '-ac', '1', '-i', join(REPO, 'sipp-scenarios/media/caller.ulaw'), '-t', String(messageSeconds), '-c:a', 'pcm_s16le', '-f', 'wav', master]);
  if (run.status !== 0) throw new Error(`ffmpeg could not make the master: ${run.stderr.toString()}`);
  return master;
}

async function encodeTimes(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-bench-encode-'));
  const master = makeMaster(dir);
  const repeats = 5;
  console.log(`encode time per ${messageSeconds} s message (${repeats} runs each, one at a time, median; master ${statSync(master).size} bytes 8 kHz PCM):`);
  for (const codec of Object.keys(STORAGE_FORMATS) as StorageCodec[]) {
    const format = STORAGE_FORMATS[codec];
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < repeats; i++) {
      const out = join(dir, `out-${codec}-${i}.${format.extension}`);
      const t0 = performance.now();
      if (format.encoder === undefined) await copyFileDurably(master, out);
      else await encodeAudio(master, out, format);
      times.push(performance.now() - t0);
      size = statSync(out).size;
    }
    times.sort((a, b) => a - b);
    const what = format.encoder === undefined ? 'no encoding, durable copy of the master' : `ffmpeg ${format.encoder}`;
    console.log(`  ${codec.padEnd(4)}: ${percentile(times, 50).toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)}), ${(size / 1024).toFixed(1)} KiB — ${what}`);
  }
}

interface DepositRun {
  ok: boolean;
  line: string;
  pacingP99: number;
}

/**
 * One load: `calls` callers at `rate`/s, at most `concurrent` at once, each to the next mailbox. The
 * pacing error is read `sampleAtSeconds` after SIPp starts, while calls are still up.
 */
async function deposit(label: string, codec: StorageCodec, concurrent: number, calls: number, rate: number, sampleAtSeconds: number, cpuFromSeconds: number): Promise<DepositRun> {
  const openum = await startOpenumProcess(concurrent + 100, { ...site, audioCodec: codec });
  const pid = openum.child.pid!;
  const store = new StoredMessages(openum.dataDirectory);
  const timeline = new DeliveryTimeline(store);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'openum-bench-deposit-'));
    const mailboxes = site.mailboxes!;
    const lines = ['SEQUENTIAL', ...Array.from({ length: Math.min(calls, mailboxes) }, (_, i) => `${benchExtension(i, site)};`)];
    writeFileSync(join(dir, 'divert.csv'), lines.join('\n') + '\n');
    const sippStarted = performance.now();
    const sipp = runSippBench(dir, [`127.0.0.1:${BENCH_PORTS.sip}`, '-sf', join(REPO, 'sipp-scenarios/deposit-load.xml'), '-inf', join(dir, 'divert.csv'), '-s', '79999', '-d', String(messageSeconds * 1000), '-r', String(rate), '-l', String(concurrent), '-m', String(calls), '-max_socket', String(concurrent * 2 + 100), '-mp', String(BENCH_PORTS.sippMedia)], (calls / rate + callSeconds + 120) * 1000);
    const elapsed = () => (performance.now() - sippStarted) / 1000;
    await sleep(cpuFromSeconds * 1000);
    const cpuStart = processUsage(pid);
    const machineStart = machineTicks();
    const t0 = performance.now();
    await sleep(Math.max(1, sampleAtSeconds - elapsed()) * 1000);
    const cpuEnd = processUsage(pid);
    const machineEnd = machineTicks();
    const health = await openum.health();
    const active = Number(health['activeCalls']);
    const clock = health['clock'] as { ticks: number; skipped: number; pacingErrorMs: { p50: number; p99: number; max: number } };
    const pacing = clock.pacingErrorMs;
    const cpu = ((cpuEnd.cpuSeconds - cpuStart.cpuSeconds) / ((performance.now() - t0) / 1000)) * 100;
    const machine = ((machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total)) * 100;
    const run = await sipp;
    const sippDone = elapsed();
    const metrics = await openum.metrics();
    // Deliveries finish after the calls (encoding is off the call path): wait until none arrive for 15 s.
    let stored = timeline.sample();
    for (let still = 0; stored < run.successful && still < 30; ) {
      await sleep(500);
      const now = timeline.sample();
      still = now === stored ? still + 1 : 0;
      stored = now;
    }
    const drained = elapsed() - sippDone;
    timeline.stop();
    const rows = store.rows();
    const streamedMs = messageSeconds * 1000;
    const durations = rows.map((r) => r.durationMs).sort((a, b) => a - b);
    const short = rows.filter((r) => r.durationMs < streamedMs - durationToleranceMs).length;
    const wrongCodec = rows.filter((r) => r.codec !== codec).length;
    const received = metricValue(metrics, 'openum_rtp_packets_in_total');
    const lost = metricValue(metrics, 'openum_rtp_packets_lost_total');
    const share = received + lost === 0 ? 0 : (received / (received + lost)) * 100;
    const nominal = calls * streamedMs / 20;
    const rates = deliveryRates(rows);
    const complete = rows.length === calls && short === 0 && wrongCodec === 0 && share >= minShare;
    const ok = run.failed === 0 && run.code === 0 && run.successful === calls && complete;
    const line =
      `${label}: ${run.successful} ok, ${run.failed} failed (sipp exit ${run.code}); ${active} calls up at the sample; ` +
      `stored ${rows.length}/${calls} ${codec} (${short} shorter than ${streamedMs - durationToleranceMs} ms${wrongCodec ? `, ${wrongCodec} in another codec` : ''}; duration min ${durations[0] ?? NaN} / median ${percentile(durations, 50)} / max ${durations[durations.length - 1] ?? NaN} ms); ` +
      `RTP in ${received}, lost ${lost} (${share.toFixed(3)} % of sent; ${((received / nominal) * 100).toFixed(2)} % of nominal ${nominal}); ` +
      `stored/s ${rates.overall.toFixed(1)} from first to last, at most ${rates.peak} in 1 s; stored − (began + duration) p50 ${percentile(rates.delayMs, 50)} ms, p99 ${percentile(rates.delayMs, 99)} ms (includes the scenario's ~1.2 s of pauses); last stored ${drained.toFixed(1)} s after SIPp ended; ` +
      `openum CPU ${cpu.toFixed(0)} % of a core, machine ${machine.toFixed(0)} % busy, RSS ${(cpuEnd.rssBytes / 2 ** 20).toFixed(0)} MiB; ` +
      `pacing error p50 ${pacing.p50.toFixed(2)} ms, p99 ${pacing.p99.toFixed(2)} ms, max ${pacing.max.toFixed(2)} ms, ${clock.skipped} of ${clock.ticks + clock.skipped} clock ticks skipped after stalls => ${ok ? 'complete' : 'NOT complete'}`;
    return { ok, line, pacingP99: pacing.p99 };
  } finally {
    timeline.stop();
    store.close();
    await openum.stop();
  }
}

console.log(`deposit: ${messageSeconds} s messages (media/caller.ulaw looped, PCMU), each call to its own mailbox of ${site.mailboxes}, SIPp on the same machine (${REPO})`);
await encodeTimes();

console.log(`\nall at once, G711 storage: ramp ${rampRate} calls/s, pacing and CPU sampled while every call is up`);
let best = 0;
for (const n of counts) {
  const ramp = n / rampRate;
  // Every call is up from the end of the ramp until the first one stops streaming (~messageSeconds + 1.5 s).
  const result = await deposit(`N=${String(n).padStart(5)}`, 'G711', n, n, rampRate, Math.max(ramp + 3, messageSeconds + 1), Math.min(ramp + 2, messageSeconds));
  console.log(result.line);
  if (!result.ok) break;
  best = n;
  await sleep(2000);
}
console.log(`highest N with 0 failed calls and every message complete (G711): ${best}`);

const compareN = compareArg === undefined ? best : Number(compareArg);
if (compareN > 0) {
  // N calls always up: new calls at N per call length; the first ones end (and, with Mp3, start encoding)
  // at ~callSeconds; the pacing window (the clock keeps one minute) closes compareSeconds later.
  const rate = compareN / callSeconds;
  const sampleAt = callSeconds + compareSeconds;
  const calls = Math.ceil(rate * (sampleAt + 3));
  console.log(
    `\npacing with and without encoding: N=${compareN} calls always up (${rate.toFixed(1)} calls/s, ${calls} calls), pacing read ${sampleAt} s in ` +
      `(the clock's window is the last minute; encoding runs from ~${callSeconds} s), CPU from ${callSeconds} s`,
  );
  const results: Record<string, number> = {};
  for (const codec of ['G711', 'Mp3'] as const) {
    const result = await deposit(`${codec.padEnd(4)} N=${compareN}`, codec, compareN, calls, rate, sampleAt, callSeconds);
    console.log(result.line);
    results[codec] = result.pacingP99;
    await sleep(2000);
  }
  console.log(`pacing error p99: ${results['G711']!.toFixed(2)} ms with G711 (no encoding), ${results['Mp3']!.toFixed(2)} ms with Mp3 encoding in the pool`);
}
