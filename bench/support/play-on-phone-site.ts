// The Play on Phone benchmark's site: N users, each with a short and a long stored message and an API
// token, one outcall gateway (the SIPp phone). The data folder is built once (store rows, tokens, audio)
// and copied for every step, so each openum starts on the same mailboxes with nothing else in them.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { openMessageStore } from '../../src/mailbox/index.js';
import { writeWavFile } from '../../src/media/index.js';
import { benchRtpYaml, BENCH_PORTS, REPO, untilHealthy } from './openum-process.js';

/** Where the phone (SIPp, UAS) listens for SIP, and the RTP sink for the media openum plays. */
export const POP_PORTS: { readonly phoneSip: number; readonly sink: number; readonly phoneMedia: number } = {
  phoneSip: BENCH_PORTS.sippMedia + 90,
  sink: BENCH_PORTS.sippMedia + 80,
  phoneMedia: BENCH_PORTS.sippMedia,
};

/** What every user's dial string is: a local number the site's policy allows (sent to the gateway as 914255551234). */
export const POP_DIAL_STRING = '425-555-1234';

/** One benchmark user: mailbox alias, token, and the ids of its two messages. */
export interface PopUser {
  alias: string;
  token: string;
  shortMessageId: string;
  longMessageId: string;
}

/** A prepared data folder and its users. */
export interface PopSite {
  /** The folder to copy as each step's DataDirectory. */
  templateData: string;
  users: PopUser[];
  shortSeconds: number;
  longSeconds: number;
}

const alias = (i: number) => `bench${60000 + i}`;

/** The site configuration for `users` mailboxes; DataDirectory is ./data beside the file. */
export function popConfigYaml(users: number): string {
  const lines = [
    'Server:',
    '  Domain: bench.test',
    `  Sip: { Listen: ["udp:127.0.0.1:${BENCH_PORTS.sip}", "tcp:127.0.0.1:${BENCH_PORTS.sip}"] }`,
    `  Http: { Listen: "127.0.0.1:${BENCH_PORTS.http}" }`,
    `  Rtp: ${benchRtpYaml()}`,
    '  DataDirectory: ./data',
    '  MaxCallsAllowed: 5000',
    '  LogLevel: warn',
    '  ShutdownGracePeriod: 5',
    '  PlayOnPhone: { NoAnswerTimeout: 30, CallInformationRetention: 600 }',
    'UMDialPlans:',
    '  - { Name: Bench, NumberOfDigitsInExtension: 5, OutsideLineAccessCode: "9", NationalNumberPrefix: "1", CountryOrRegionCode: "1", AudioCodec: G711, ConfiguredInCountryOrRegionGroups: ["Local,91425xxxxxxx,91425xxxxxxx"] }',
    'UMIPGateways:',
    `  - { Name: Phones, Address: 127.0.0.1, Port: ${POP_PORTS.phoneSip}, Transport: UDP, OutcallsAllowed: true, MessageWaitingIndicatorAllowed: false, UMDialPlans: [Bench] }`,
    'UMMailboxPolicies:',
    '  - { Name: Bench Policy, UMDialPlan: Bench, AllowedInCountryOrRegionGroups: [Local] }',
    'UMMailboxes:',
  ];
  for (let i = 0; i < users; i++) {
    const a = alias(i);
    lines.push(`  - { Alias: ${a}, DisplayName: Bench ${60000 + i}, PrimarySmtpAddress: ${a}@bench.test, UMMailboxPolicy: Bench Policy, Extensions: ["${60000 + i}"] }`);
  }
  return lines.join('\n') + '\n';
}

/** `seconds` of media/caller.ulaw (speech, looped) as 8 kHz 16-bit samples. */
function speech(seconds: number): Int16Array {
  const loop = alawmulaw.mulaw.decode(new Uint8Array(readFileSync(join(REPO, 'sipp-scenarios/media/caller.ulaw'))));
  const out = new Int16Array(Math.round(seconds * 8000));
  for (let i = 0; i < out.length; i++) out[i] = loop[i % loop.length]!;
  return out;
}

/**
 * Builds the template data folder: every user gets a token and two G711 messages (`shortSeconds` and
 * `longSeconds` long). All short messages share one audio file, all long ones another (1000 users ×
 * 30 s would be 480 MB otherwise); openum reads the file for every call anyway.
 */
export async function preparePopSite(users: number, shortSeconds: number, longSeconds: number): Promise<PopSite> {
  const root = mkdtempSync(join(tmpdir(), 'openum-bench-pop-site-'));
  const data = join(root, 'data');
  mkdirSync(join(data, 'bench'), { recursive: true });
  const shortAudio = speech(shortSeconds);
  const longAudio = speech(longSeconds);
  await writeWavFile(join(data, 'bench/short.wav'), shortAudio);
  await writeWavFile(join(data, 'bench/long.wav'), longAudio);
  const store = await openMessageStore({ Server: { DataDirectory: data, Storage: { Kind: 'sqlite' } } });
  const result: PopUser[] = [];
  try {
    for (let i = 0; i < users; i++) {
      const a = alias(i);
      const ids: string[] = [];
      for (const [file, samples] of [['bench/short.wav', shortAudio], ['bench/long.wav', longAudio]] as const) {
        const id = randomUUID();
        ids.push(id);
        await store.commitMessage({
          id,
          mailbox: a,
          caller: '+12065550100',
          callerName: null,
          receivedAt: new Date(),
          durationMs: Math.round((samples.length / 8000) * 1000),
          codec: 'G711',
          audioPath: file,
          sizeBytes: 44 + samples.length * 2,
          urgent: false,
          recovered: false,
          callId: null,
        });
      }
      const { token } = await store.credentials.createToken(a, { label: 'bench' });
      result.push({ alias: a, token, shortMessageId: ids[0]!, longMessageId: ids[1]! });
    }
  } finally {
    await store.close();
  }
  return { templateData: data, users: result, shortSeconds, longSeconds };
}

/** A running openum child on a copy of the site. */
export interface PopOpenum {
  child: ChildProcess;
  dir: string;
  logFile: string;
  health(): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after 60 s; resolves with how long the exit took (ms) and whether it was killed. */
  stop(): Promise<{ exitMs: number; killed: boolean }>;
}

/**
 * Copies the template into a fresh folder and starts `node bin/openum.js serve` there, its output to
 * `openum.log` in that folder. `nodeArgs` go before the script (e.g. `--cpu-prof`).
 */
export async function startPopOpenum(site: PopSite, nodeArgs: readonly string[] = []): Promise<PopOpenum> {
  const dir = mkdtempSync(join(tmpdir(), 'openum-bench-pop-'));
  cpSync(site.templateData, join(dir, 'data'), { recursive: true });
  const config = join(dir, 'openum.yaml');
  writeFileSync(config, popConfigYaml(site.users.length));
  const logFile = join(dir, 'openum.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, join(REPO, 'bin/openum.js'), 'serve', '--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const health = await untilHealthy(child, 30_000, `openum did not start (see ${logFile})`);
  return {
    child,
    dir,
    logFile,
    health,
    // A profile (--cpu-prof) is only written by an exit of its own: give it time before the SIGKILL.
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop({ exitMs: 0, killed: false });
        const t0 = performance.now();
        let killed = false;
        const killer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, 60000);
        child.once('exit', () => {
          clearTimeout(killer);
          log.end();
          resolveStop({ exitMs: performance.now() - t0, killed });
        });
        child.kill('SIGTERM');
      }),
  };
}
