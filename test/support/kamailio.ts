// Kamailio (Debian's `kamailio`) as a SIP proxy/registrar in front of openum, run in the foreground
// from test/kamailio/kamailio.cfg.template with its placeholders filled into a temporary folder.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './paths.js';
import { watchChild } from './child-output.js';

/** Kamailio from Debian's kamailio (not on a non-root PATH). */
export const KAMAILIO = '/usr/sbin/kamailio';

/** The configuration template (@PORT@, @OPENUM_PORT@). */
export const KAMAILIO_TEMPLATE = repoPath('test/kamailio/kamailio.cfg.template');

/** Options of {@link startKamailio}. */
export interface KamailioOptions {
  /** UDP port Kamailio listens on at 127.0.0.1 (pick one with freeUdpPort()). */
  port: number;
  /** openum's UDP SIP port at 127.0.0.1, where message-summary SUBSCRIBEs go. */
  openumPort: number;
  /** How long to wait for Kamailio to answer an OPTIONS probe. Default 10 s. */
  readyTimeoutMs?: number;
}

/** A running Kamailio. */
export interface RunningKamailio {
  port: number;
  /** Its stderr/stdout so far (the first 100 kB and the latest, 200 kB in all): core messages and the script's xlog lines. */
  log(): string;
  /** Stops it (SIGTERM to its process group, SIGKILL after 3 s) and removes the temporary folder. Idempotent. */
  stop(): Promise<void>;
}

/** The template with its placeholders filled. */
export function kamailioConfig(values: { port: number; openumPort: number }): string {
  const fill: Record<string, string> = { PORT: String(values.port), OPENUM_PORT: String(values.openumPort) };
  return readFileSync(KAMAILIO_TEMPLATE, 'utf8').replace(/@([A-Z_]+)@/g, (whole, name: string) => {
    const value = fill[name];
    if (value === undefined) throw new Error(`kamailio template: no value for ${whole}`);
    return value;
  });
}

/** Sends one OPTIONS to the port and waits up to `timeoutMs` for any SIP answer. */
function probeOnce(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let settled = false;
    const finish = (answered: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('message', (data) => finish(data.toString().startsWith('SIP/2.0 ')));
    socket.on('error', () => finish(false));
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
      const request = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
        `From: <sip:probe@127.0.0.1>;tag=${branch.slice(7)}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: probe-${branch}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, '127.0.0.1', (error) => {
        if (error) finish(false);
      });
    });
  });
}

/**
 * Starts Kamailio in the foreground (`-DD -E`, small shared/private memory) in a process group of its
 * own, and resolves once it answers an OPTIONS on its port; rejects (after stopping it) if it exits or
 * stays silent past the ready timeout.
 */
export async function startKamailio(options: KamailioOptions): Promise<RunningKamailio> {
  const work = mkdtempSync(join(tmpdir(), 'openum-kamailio-'));
  const configFile = join(work, 'kamailio.cfg');
  try {
    writeFileSync(configFile, kamailioConfig(options));
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  // -Y: runtime files (none with this module set, but never /run/kamailio of the host's service).
  const child = spawn(KAMAILIO, ['-DD', '-E', '-f', configFile, '-m', '32', '-M', '4', '-Y', work, '-P', join(work, 'kamailio.pid')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child, 100_000, 100_000);
  const output = watched.output;
  const closed = watched.closed;

  let stopping: Promise<void> | undefined;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  const stop = () =>
    (stopping ??= (async () => {
      if (!watched.exited()) {
        signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 3000)))]);
        clearTimeout(timer);
        // Kamailio's children too (the main process may be gone before them).
        signal('SIGKILL');
        await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
      }
      rmSync(work, { recursive: true, force: true });
    })());

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  for (;;) {
    if (watched.exited()) {
      await stop();
      throw new Error(`kamailio exited before it listened:\n${output().slice(-4000)}`);
    }
    if (await probeOnce(options.port, 300)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kamailio did not answer OPTIONS on 127.0.0.1:${options.port} in time:\n${output().slice(-4000)}`);
    }
  }
  return { port: options.port, log: output, stop };
}
