// baresip 1.0 as a phone that registers with a proxy and shows its message-waiting indicator
// (test/baresip/mwi: modules account, mwi, menu). It runs until stopped; every wait is bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BARESIP } from './baresip.js';
import { repoPath } from './paths.js';
import { watchChild } from './child-output.js';

/** The MWI phone's config directory template (`config`, `accounts` with @NAME@ placeholders). */
export const BARESIP_MWI_TEMPLATE = repoPath('test/baresip/mwi');

/** Options of {@link startBaresipMwi}. */
export interface BaresipMwiOptions {
  /** The proxy/registrar's UDP port at 127.0.0.1 (the account's outbound proxy). */
  proxyPort: number;
  /** Registration interval, seconds. Default 60. */
  regint?: number;
  /** baresip quits by itself (`-t`) after this long; stop() normally ends it first. Default 120 s. */
  lifetimeSeconds?: number;
  /** Adds baresip's SIP message trace to the log (`-s`). */
  sipTrace?: boolean;
}

/** One message-summary NOTIFY as the menu module printed it. */
export interface MwiNotice {
  /** The account (AOR) it was for. */
  aor: string;
  /** The body's header lines (`Messages-Waiting: yes`, `Voice-Message: 1/0 (0/0)`, …). */
  lines: string[];
}

/** A running MWI phone. */
export interface RunningBaresipMwi {
  /** stdout and stderr interleaved (baresip -v): the first 100 kB and the latest, 400 kB in all. */
  log(): string;
  /** Every MWI notice printed so far, in order. */
  notices(): MwiNotice[];
  /** Ends it: SIGTERM (it un-registers), SIGKILL to its process group after 3 s; removes its files. Idempotent. */
  stop(): Promise<void>;
}

// baresip colours its SIP trace (-s) with terminal escapes.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The text without terminal colour escapes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The MWI notices in a baresip log: menu prints `----- MWI for <aor> -----` then the body. */
export function parseMwiNotices(log: string): MwiNotice[] {
  const notices: MwiNotice[] = [];
  const lines = stripAnsi(log).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const marker = /^----- MWI for (\S+) -----$/.exec(lines[i]!.trim());
    if (!marker) continue;
    const body: string[] = [];
    // The body is header lines (RFC 3842); anything else (an empty line, the next log line) ends it.
    for (let j = i + 1; j < lines.length && j <= i + 20; j++) {
      const line = lines[j]!.trim();
      if (!/^[A-Za-z-]+:\s/.test(line)) break;
      body.push(line);
    }
    notices.push({ aor: marker[1]!, lines: body });
  }
  return notices;
}

/** Starts baresip with the MWI template filled into a temporary folder, in a process group of its own. */
export function startBaresipMwi(options: BaresipMwiOptions): RunningBaresipMwi {
  const work = mkdtempSync(join(tmpdir(), 'openum-baresip-mwi-'));
  try {
    const values: Record<string, string> = { SIP_PORT: '0', PROXY_PORT: String(options.proxyPort), REGINT: String(options.regint ?? 60) };
    for (const file of ['config', 'accounts']) {
      const text = readFileSync(join(BARESIP_MWI_TEMPLATE, file), 'utf8').replace(/@([A-Z_]+)@/g, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`baresip mwi template ${file}: no value for ${whole}`);
        return value;
      });
      writeFileSync(join(work, file), text);
    }
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const lifetime = options.lifetimeSeconds ?? 120;
  const child = spawn(BARESIP, ['-f', work, '-v', ...(options.sipTrace === true ? ['-s'] : []), '-t', String(lifetime)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child, 100_000, 300_000);
  const output = watched.output;
  const closed = watched.closed;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  // baresip ignores -t and SIGTERM while a transaction to a dead peer is pending: the backstop.
  const backstop = setTimeout(() => signal('SIGKILL'), (lifetime + 15) * 1000);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(backstop);
      if (!watched.exited()) {
        signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 3000)))]);
        clearTimeout(timer);
        if (!watched.exited()) signal('SIGKILL');
        await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
      }
      rmSync(work, { recursive: true, force: true });
    })());
  return { log: output, notices: () => parseMwiNotices(output()), stop };
}
