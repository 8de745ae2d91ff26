// Play on Phone under load: HTTP clients ask openum to play messages on phones (SIPp answering as a
// UAS with sipp-scenarios/pop-load-answer.xml, its SDP pointing at an RTP sink that counts what openum plays). Figures only, never pass/fail.
//
// The site has `users` mailboxes, each with an API token and two stored G711 messages (2 s and
// `holdSeconds` long). One Play on Phone call per user at a time: a user is handed a new request only
// after polling saw its last call Disconnected. Every accepted call is polled every `pollMs` with
// GetPhoneCallInformation until it is Disconnected — odd calls through JSON (`GET /api/v1/phone-calls/:id`),
// even ones through EWS (`POST /EWS/Exchange.asmx`), bearer tokens for both. Prints, per step:
//  1. rate steps (the 2 s message): `PlayOnPhone` (`POST /api/v1/play-on-phone`) at R requests/s for
//     `rateSeconds`: requests by status, accepted/s, latency p50/p99/max, the client's pacing lag;
//     GetPhoneCallInformation latency per front end; the calls' outcome (failure causes, SIPp's peak
//     calls, streams the sink heard and whether each was complete); openum CPU, RSS and media pacing;
//  2. concurrency steps (the long message): N calls started over 10 s and held while the whole message
//     plays; the same figures, with the most calls up at once by SIPp and by the RTP streams.
// Every token is used once before a step starts (see the warm-up in step()).
// "Complete" media: the sink heard ≥ 99 % of the message's 20 ms packets from the call's SSRC.
// Failures: refused requests, calls not Disconnected with cause None, accepted calls without complete
// media. SIPp's failed calls are printed beside them: when openum reads its socket late, it retransmits
// an INVITE or BYE already answered, and SIPp may abort the call (e.g. an ACK crossing the 200 it sent
// again) although openum played the whole message — its abort reasons are printed.
//
//   npm run build && node dist/bench/play-on-phone.js [rateSeconds=20] [rates=50,100,150,200,250] [concurrent=250,500,750] [holdSeconds=30] [users=1500] [pollMs=1000] [echo=0]
//
// echo=1 makes the sink send every packet back (a phone that talks back: openum then receives as much
// RTP as it sends). OPENUM_BENCH_CPU_PROF=<folder> runs every openum child under `node --cpu-prof`;
// OPENUM_BENCH_NODE_ARGS adds node options to them (e.g. `--trace-gc`).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_PORTS, percentile, processUsage, REPO } from './support/openum-process.js';
import { POP_DIAL_STRING, POP_PORTS, preparePopSite, startPopOpenum } from './support/play-on-phone-site.js';
import type { PopSite } from './support/play-on-phone-site.js';
import type { RtpSinkReport } from './support/rtp-sink.js';
import { httpRequest } from './support/http-client.js';
import type { HttpReply, HttpRequestInit } from './support/http-client.js';
import { startSippPhone } from './support/sipp-phone.js';

const rateSeconds = Number(process.argv[2] ?? 20);
const rates = (process.argv[3] ?? '50,100,150,200,250').split(',').filter(Boolean).map(Number);
const concurrents = (process.argv[4] ?? '250,500,750').split(',').filter(Boolean).map(Number);
const holdSeconds = Number(process.argv[5] ?? 30);
const userCount = Number(process.argv[6] ?? 1500);
const pollMs = Number(process.argv[7] ?? 1000);
const echo = process.argv[8] === '1';
const shortSeconds = 2;
const rampSeconds = 10;
const requestTimeoutMs = 30000;
const completeShare = 0.99;
const cpuProfDir = process.env['OPENUM_BENCH_CPU_PROF'];
// Extra node options for the openum children, e.g. `--trace-gc` (its lines land in the step's openum.log).
const nodeArgs = (process.env['OPENUM_BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

const base = `http://127.0.0.1:${BENCH_PORTS.http}`;
type Percentiles = { p50: number; p99: number; max: number };

/** The media clocks' figures from /healthz. */
function clockFigures(health: Record<string, unknown>): { pacing: Percentiles; tickDone: Percentiles; skippedTicks: number } {
  const clock = health['clock'] as { skipped: number; pacingErrorMs: Percentiles; tickDoneErrorMs: Percentiles };
  return { pacing: clock.pacingErrorMs, tickDone: clock.tickDoneErrorMs, skippedTicks: clock.skipped };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const soap = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="${M}" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><s:Header><t:RequestServerVersion Version="Exchange2010_SP1"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`;

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - (cpu[3] ?? 0) - (cpu[4] ?? 0), total };
}

/** Latencies (ms) and outcomes of one kind of request. */
class RequestStats {
  readonly latencies: number[] = [];
  /** When each request was sent (performance.now()), beside its latency. */
  private readonly sentAt: number[] = [];
  readonly outcomes = new Map<string, number>();

  record(ms: number, outcome: string, sentAt: number): void {
    this.latencies.push(ms);
    this.sentAt.push(sentAt);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** p99 of the requests sent in each `seconds`-long window from the first: where the slow ones fall (warm-up or throughout). */
  windowP99(seconds: number): string {
    if (this.sentAt.length === 0) return 'none';
    const first = Math.min(...this.sentAt);
    const windows: number[][] = [];
    this.sentAt.forEach((at, i) => (windows[Math.floor((at - first) / 1000 / seconds)] ??= []).push(this.latencies[i]!));
    return windows.map((w) => (w ? percentile(w.sort((a, b) => a - b), 99).toFixed(0) : '-')).join(' / ');
  }

  summary(): string {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const outcomes = [...this.outcomes.entries()].map(([k, v]) => `${v} ${k}`).join(', ');
    return `${sorted.length} (${outcomes || 'none'}), p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${percentile(sorted, 100).toFixed(1)} ms`;
  }
}

/** One accepted call as the client follows it. */
interface FollowedCall {
  id: string;
  user: number;
  ews: boolean;
  acceptedAt: number;
  connectedSeen: boolean;
  final?: { cause: string; code: string };
}

/** A forked RTP sink. */
async function startSink(): Promise<{ child: ChildProcess; report(): Promise<RtpSinkReport>; stop(): void }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'support/rtp-sink.js');
  const child = fork(script, [String(POP_PORTS.sink), echo ? '1' : '0'], { stdio: 'inherit' });
  const [ready] = (await Promise.race([once(child, 'message'), sleep(5000).then(() => ['timeout'])])) as unknown[];
  if (ready !== 'ready') throw new Error('the RTP sink did not start');
  return {
    child,
    report: async () => {
      child.send('report');
      const [report] = (await once(child, 'message')) as [RtpSinkReport];
      return report;
    },
    stop: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/** openum's warnings and errors by message, most frequent first (it logs at warn). */
function logSummary(file: string): string {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level: number; msg?: string };
      // Branch and Call-ID make every line unique; the kind of message is what matters.
      const kind = `${entry.level >= 50 ? 'error' : 'warn'} "${(entry.msg ?? '').replace(/z9hG4bK\w+/g, '<branch>').slice(0, 100)}"`;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    } catch {
      // a line cut by the shutdown
    }
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
  return top.length === 0 ? 'no warnings' : `${top.map(([k, v]) => `${v}× ${k}`).join('; ')} (${file})`;
}

/** Most intervals overlapping at any moment. */
function peakOverlap(intervals: readonly [number, number][]): number {
  const events = intervals.flatMap(([a, b]) => [[a, 1], [b, -1]] as [number, number][]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (now += d));
  return peak;
}

interface StepPlan {
  label: string;
  /** Requests per second and how many. */
  rate: number;
  count: number;
  messageSeconds: number;
  long: boolean;
}

/** Runs one step on a fresh openum, SIPp phone and sink, and prints its figures. */
async function step(site: PopSite, plan: StepPlan): Promise<void> {
  let report = `${plan.label}: did not finish`;
  const sink = await startSink();
  const phone = await startSippPhone(POP_PORTS.phoneSip, POP_PORTS.sink, POP_PORTS.phoneMedia);
  const openum = await startPopOpenum(site, [...nodeArgs, ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])]);
  const pid = openum.child.pid!;
  const pop = new RequestStats();
  const infoJson = new RequestStats();
  const infoEws = new RequestStats();
  const calls: FollowedCall[] = [];
  const free = site.users.map((_, i) => i);
  let noFreeUser = 0;
  let inFlight = 0;
  const lags: number[] = [];
  const cpuSamples: number[] = [];
  let rssPeak = 0;
  let pacing: Percentiles | undefined;
  let tickDone: Percentiles | undefined;
  let skippedTicks = 0;
  const messageKey = plan.long ? 'longMessageId' : 'shortMessageId';
  const deadline = performance.now() + (plan.count / plan.rate + plan.messageSeconds + 90) * 1000;

  const timed = async (stats: RequestStats, url: string, init: Omit<HttpRequestInit, 'timeoutMs'>): Promise<HttpReply | undefined> => {
    const t0 = performance.now();
    inFlight++;
    try {
      const reply = await httpRequest(url, { ...init, timeoutMs: requestTimeoutMs });
      const text = reply.text;
      const ms = performance.now() - t0;
      // The JSON API's error code, or an EWS ResponseCode other than NoError (EWS answers errors with 200).
      const ewsCode = /ResponseCode>(\w+)</.exec(text)?.[1];
      const code = /"code":"([^"]+)"/.exec(text)?.[1] ?? (ewsCode === 'NoError' ? undefined : ewsCode);
      stats.record(ms, `${reply.status}${code ? ` ${code}` : ''}`, t0);
      return { status: reply.status, text };
    } catch (error) {
      stats.record(performance.now() - t0, `error ${(error as Error).name}`, t0);
      return undefined;
    } finally {
      inFlight--;
    }
  };

  const follow = async (call: FollowedCall): Promise<void> => {
    const token = site.users[call.user]!.token;
    const until = call.acceptedAt + (plan.messageSeconds + 60) * 1000;
    while (performance.now() < until && performance.now() < deadline) {
      await sleep(pollMs);
      let state: string | undefined;
      let cause = '';
      let code = '';
      if (call.ews) {
        const reply = await timed(infoEws, `${base}/EWS/Exchange.asmx`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
          body: soap(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${call.id}"/></m:GetPhoneCallInformation>`),
        });
        state = reply && /<t:PhoneCallState>(\w+)</.exec(reply.text)?.[1];
        cause = (reply && /<t:ConnectionFailureCause>(\w+)</.exec(reply.text)?.[1]) ?? '';
        code = (reply && /<t:SIPResponseCode>(\d+)</.exec(reply.text)?.[1]) ?? '';
      } else {
        const reply = await timed(infoJson, `${base}/api/v1/phone-calls/${call.id}`, { headers: { authorization: `Bearer ${token}` } });
        if (reply?.status === 200) {
          const info = JSON.parse(reply.text) as { state: string; failureCause: string; sipResponseCode: number | null };
          state = info.state;
          cause = info.failureCause;
          code = String(info.sipResponseCode ?? '');
        }
      }
      if (state === 'Connected') call.connectedSeen = true;
      if (state === 'Disconnected') {
        call.final = { cause, code };
        break;
      }
    }
    free.push(call.user);
  };

  const followers: Promise<void>[] = [];
  const playOnPhone = async (i: number, scheduledAt: number): Promise<void> => {
    lags.push(performance.now() - scheduledAt);
    const user = free.shift();
    if (user === undefined) {
      noFreeUser++;
      return;
    }
    const u = site.users[user]!;
    const acceptedAt = performance.now();
    const reply = await timed(pop, `${base}/api/v1/play-on-phone`, {
      method: 'POST',
      headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: u[messageKey], dialString: POP_DIAL_STRING }),
    });
    if (reply?.status !== 202) {
      free.push(user);
      return;
    }
    const { phoneCallId } = JSON.parse(reply.text) as { phoneCallId: string };
    const call: FollowedCall = { id: phoneCallId, user, ews: i % 2 === 1, acceptedAt, connectedSeen: false };
    calls.push(call);
    followers.push(follow(call));
  };

  // Each token's first use in a minute stamps last_used_at (a synchronous, fsynced SQLite write on
  // openum's thread); in steady use that is once a minute per token, not once per request. Use every
  // token once before the clock starts so the step measures the steady state.
  for (let next = 0; next < site.users.length; ) {
    const batch = site.users.slice(next, (next += 20));
    await Promise.all(batch.map((u) => fetch(`${base}/api/v1/messages?limit=1`, { headers: { authorization: `Bearer ${u.token}` } }).then((r) => r.arrayBuffer())));
  }
  const sampler = setInterval(() => {
    try {
      const u = processUsage(pid);
      cpuSamples.push(u.cpuSeconds);
      rssPeak = Math.max(rssPeak, u.rssBytes);
    } catch {
      // openum exited
    }
  }, 1000);
  const cpu0 = processUsage(pid);
  const machine0 = machineTicks();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    // Paced: every request has its slot (t0 + i / rate); late slots are sent at once and their lag kept.
    const requests: Promise<void>[] = [];
    for (let sent = 0; sent < plan.count && performance.now() < deadline; ) {
      const due = Math.min(plan.count, Math.floor(((performance.now() - t0) * plan.rate) / 1000) + 1);
      for (; sent < due; sent++) requests.push(playOnPhone(sent, t0 + (sent * 1000) / plan.rate));
      await sleep(Math.max(1, Math.min(10, 1000 / plan.rate)));
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    await Promise.all(requests);
    // While the long calls are all up: the media clock's pacing (the shared clock's last minute).
    if (plan.long) {
      // Every call is up from the end of the ramp until the first one ends (~messageSeconds + 0.6 s).
      await sleep(Math.max(0, (plan.messageSeconds - 1) * 1000 - (performance.now() - t0)));
      const health = await openum.health();
      ({ pacing, tickDone, skippedTicks } = clockFigures(health));
    }
    await Promise.all(followers);
    const loadSeconds = (performance.now() - t0) / 1000;
    const cpu1 = processUsage(pid);
    const machine1 = machineTicks();
    const client = process.cpuUsage(client0);
    if (!plan.long) {
      const health = await openum.health();
      ({ pacing, tickDone, skippedTicks } = clockFigures(health));
    }
    await sleep(500);
    const media = await sink.report();
    const phoneStats = await phone.stop();

    // Outcomes of the accepted calls.
    const causes = new Map<string, number>();
    for (const call of calls) {
      const key = call.final ? (call.final.cause === 'None' ? 'None' : `${call.final.cause}${call.final.code ? ` (${call.final.code})` : ''}`) : 'never seen Disconnected';
      causes.set(key, (causes.get(key) ?? 0) + 1);
    }
    const expected = plan.messageSeconds * 50;
    const complete = media.streams.filter((s) => s.packets >= expected * completeShare).length;
    const packets = media.streams.reduce((a, s) => a + s.packets, 0);
    const gaps = media.streams.map((s) => s.maxGapMs).sort((a, b) => a - b);
    const peakStreams = peakOverlap(media.streams.map((s) => [s.firstMs, s.lastMs]));
    const accepted = pop.outcomes.get('202') ?? 0;
    const perSecond = cpuSamples.slice(1).map((c, i) => c - cpuSamples[i]!).sort((a, b) => a - b);
    const cpuAvg = ((cpu1.cpuSeconds - cpu0.cpuSeconds) / loadSeconds) * 100;
    const machine = ((machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total)) * 100;
    // openum's failures as a user would see them; SIPp's own count is printed beside (see the calls line).
    const failures = pop.latencies.length - accepted + noFreeUser + calls.filter((c) => !c.final || c.final.cause !== 'None').length + (accepted - complete);
    const pp = pacing;
    const lagsSorted = lags.sort((a, b) => a - b);
    report = [
      `${plan.label}:`,
      `  PlayOnPhone (JSON): ${pop.summary()}; accepted ${(accepted / sendSeconds).toFixed(1)}/s over ${sendSeconds.toFixed(1)} s of sending; client lag behind schedule p99 ${percentile(lagsSorted, 99).toFixed(1)} ms, max ${percentile(lagsSorted, 100).toFixed(1)} ms; ${noFreeUser} slots with no free user`,
      `    PlayOnPhone p99 per 5 s of sending: ${pop.windowP99(5)} ms; GetPhoneCallInformation (both): ${infoJson.windowP99(5)} | ${infoEws.windowP99(5)} ms`,
      `  GetPhoneCallInformation JSON: ${infoJson.summary()}`,
      `  GetPhoneCallInformation EWS:  ${infoEws.summary()}`,
      `  calls: ${calls.length} accepted, final cause ${[...causes.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; Connected seen by polling ${calls.filter((c) => c.connectedSeen).length}; ` +
        `SIPp ${phoneStats.successful} ok, ${phoneStats.failed} failed${Object.keys(phoneStats.aborts).length ? ` (aborted: ${JSON.stringify(phoneStats.aborts)}; log in ${phoneStats.dir})` : ''}, at most ${phoneStats.peakCurrent} calls at once; ${phoneStats.deadCallMessages} messages for calls already ended (retransmissions)`,
      `  media: ${media.streams.length} streams, ${complete} complete (≥ ${Math.round(expected * completeShare)} of ${expected} packets), ${packets} packets (${((packets / Math.max(1, accepted * expected)) * 100).toFixed(2)} % of accepted × nominal); at most ${peakStreams} streams at once; largest gap per stream p50 ${percentile(gaps, 50).toFixed(0)} ms, p99 ${percentile(gaps, 99).toFixed(0)} ms, max ${percentile(gaps, 100).toFixed(0)} ms`,
      `  openum: CPU ${cpuAvg.toFixed(0)} % of a core over ${loadSeconds.toFixed(1)} s (1 s samples p50 ${(percentile(perSecond, 50) * 100).toFixed(0)} %, max ${(percentile(perSecond, 100) * 100).toFixed(0)} %), RSS peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB; ` +
        `media clock pacing error p50 ${pp?.p50.toFixed(2)} ms, p99 ${pp?.p99.toFixed(2)} ms, max ${pp?.max.toFixed(2)} ms, ticks done p99 ${tickDone?.p99.toFixed(2)} ms after due, ${skippedTicks} ticks skipped`,
      `  openum log: ${logSummary(openum.logFile)}`,
      `  others: machine ${machine.toFixed(0)} % busy; client CPU ${(((client.user + client.system) / 1e6 / loadSeconds) * 100).toFixed(0)} %, sink ${((media.cpuSeconds / loadSeconds) * 100).toFixed(0)} %, SIPp ${((phoneStats.cpuSeconds / loadSeconds) * 100).toFixed(0)} % of a core; ${inFlight} requests still in flight`,
      `  => ${failures === 0 ? '0 failures' : `${failures} failures`} (non-202, no free user, cause ≠ None or never ended, accepted calls without complete media)`,
    ].join('\n');
  } finally {
    clearInterval(sampler);
    await phone.stop();
    sink.stop();
    const exit = await openum.stop();
    console.log(`${report}\n  (openum exited ${(exit.exitMs / 1000).toFixed(1)} s after SIGTERM${exit.killed ? ', killed' : ''})`);
  }
}

const siteStarted = performance.now();
const needUsers = Math.max(userCount, ...concurrents);
const site = await preparePopSite(needUsers, shortSeconds, holdSeconds);
console.log(
  `play on phone: ${needUsers} users (tokens, a ${shortSeconds} s and a ${holdSeconds} s G711 message each; site built in ${((performance.now() - siteStarted) / 1000).toFixed(1)} s), ` +
    `SIPp phone (pop-load-answer.xml, UAS) on UDP ${POP_PORTS.phoneSip}, RTP sink on ${POP_PORTS.sink}${echo ? ' echoing' : ''}, polling every ${pollMs} ms (odd calls JSON, even EWS); ` +
    `${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${REPO})`,
);
for (const rate of rates) {
  await step(site, { label: `rate ${rate}/s for ${rateSeconds} s, ${shortSeconds} s message`, rate, count: rate * rateSeconds, messageSeconds: shortSeconds, long: false });
  await sleep(2000);
}
for (const n of concurrents) {
  await step(site, { label: `${n} calls held (${holdSeconds} s message, started over ${rampSeconds} s)`, rate: n / rampSeconds, count: n, messageSeconds: holdSeconds, long: true });
  await sleep(2000);
}
