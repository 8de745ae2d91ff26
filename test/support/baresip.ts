import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './paths.js';

/** baresip from Debian's baresip-core. */
export const BARESIP = '/usr/bin/baresip';

/** The config directory template (`config`, `accounts` with @NAME@ placeholders). */
export const BARESIP_TEMPLATE = repoPath('test/baresip');

/** The by-hand runner the helper also uses, so the test proves the documented command. */
export const RUN_BARESIP = repoPath('test/baresip/run-baresip.sh');

/** Options of {@link runBaresipCall}. */
export interface BaresipCallOptions {
  /** The SIP URI to dial, e.g. `sip:99999@127.0.0.1:5060`. */
  target: string;
  /** What baresip sends: a WAV of 8 kHz mono 16-bit PCM (aufile refuses anything else). */
  sourceWav: string;
  /** baresip quits (BYE) this long after it starts. */
  seconds: number;
  /** Local RTP port range. Default 47000-47998, above every rtpPortBase() range. */
  rtpPorts?: readonly [number, number];
  /** Kill the whole process group after this long no matter what. Default seconds + 25 s. */
  hardLimitMs?: number;
  /** Adds baresip's SIP message trace to the log. */
  sipTrace?: boolean;
}

/** How a baresip call ended, and what baresip sent and heard. */
export interface BaresipCallResult {
  /** Exit code of run-baresip.sh (baresip's own; 124/137 when its timeout had to TERM/KILL it); null when killed here. */
  code: number | null;
  /** True when the hard limit had to kill it. */
  killed: boolean;
  /** stdout and stderr interleaved (baresip -v), the last 200 kB. */
  log: string;
  /** sndfile's dump of the decoded audio baresip heard (a WAV file's bytes), when one was written. */
  heardWav: Buffer | null;
  /** sndfile's dump of the audio baresip encoded and sent, when one was written. */
  sentWav: Buffer | null;
}

/** The template with its placeholders filled, in a fresh directory. */
export function prepareBaresipConfig(directory: string, values: Record<'SIP_PORT' | 'RTP_PORTS' | 'SOURCE_WAV' | 'RECORD_DIR', string>): void {
  for (const file of ['config', 'accounts']) {
    const text = readFileSync(join(BARESIP_TEMPLATE, file), 'utf8').replace(/@([A-Z_]+)@/g, (whole, name: string) => {
      const value = (values as Record<string, string>)[name];
      if (value === undefined) throw new Error(`baresip template ${file}: no value for ${whole}`);
      return value;
    });
    writeFileSync(join(directory, file), text);
  }
}

function readDump(directory: string, suffix: string): Buffer | null {
  const name = readdirSync(directory).find((f) => f.startsWith('dump-') && f.endsWith(`-${suffix}.wav`));
  return name === undefined ? null : readFileSync(join(directory, name));
}

/**
 * Runs one headless baresip call through test/baresip/run-baresip.sh with a filled copy of the
 * template, bound to 127.0.0.1; always ends (baresip's -t, the script's timeout, then SIGKILL of the
 * process group here) and removes its temporary files.
 */
export function runBaresipCall(options: BaresipCallOptions): Promise<BaresipCallResult> {
  const work = mkdtempSync(join(tmpdir(), 'openum-baresip-'));
  const configDir = join(work, 'config');
  const recordDir = join(work, 'recordings');
  try {
    mkdirSync(configDir);
    mkdirSync(recordDir);
    const [low, high] = options.rtpPorts ?? [47000, 47998];
    prepareBaresipConfig(configDir, { SIP_PORT: '0', RTP_PORTS: `${low}-${high}`, SOURCE_WAV: options.sourceWav, RECORD_DIR: recordDir });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    return Promise.reject(error);
  }
  return new Promise((resolve) => {
    const child = spawn('bash', [RUN_BARESIP, configDir, options.target, String(options.seconds)], {
      // Own process group: the script runs `timeout --foreground`, so baresip stays in it and the hard
      // limit kills bash, timeout and baresip together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BARESIP_SIP_TRACE: options.sipTrace === true ? '1' : '0' },
    });
    let log = '';
    const keep = (d: Buffer) => {
      log = (log + d.toString()).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let killed = false;
    const killer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.hardLimitMs ?? options.seconds * 1000 + 25_000);
    child.on('error', (error) => keep(Buffer.from(`\nspawn failed: ${error.message}\n`)));
    child.on('close', (code) => {
      clearTimeout(killer);
      const heardWav = readDump(recordDir, 'dec');
      const sentWav = readDump(recordDir, 'enc');
      rmSync(work, { recursive: true, force: true });
      resolve({ code, killed, log, heardWav, sentWav });
    });
  });
}
