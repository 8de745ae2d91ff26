// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, listening on 127.0.0.1 at a
// free port only, stopped with `pg_ctl stop -m immediate` and deleted afterwards. Never skipped: without
// the server binaries the tests fail with a message naming the Debian package.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const POSTGRES_USER = 'postgres';

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** TCP port on 127.0.0.1. */
  port: number;
  /** The temporary folder (data directory, socket, log). */
  dir: string;
  /** A fresh, empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate mode) and deletes the folder. Idempotent. */
  stop(): Promise<void>;
}

/** The newest installed `/usr/lib/postgresql/<version>/bin`, or a failure naming the package. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(bin, tool)))) return bin;
  }
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under /usr/lib/postgresql/<version>/bin: install the Debian package postgresql (apt-get install postgresql)');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (initdb and postgres refuse root). */
async function runTool(bin: string, tool: string, args: string[]): Promise<void> {
  const asRoot = userInfo().uid === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', POSTGRES_USER, '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  await run(command, argv, { timeout: 60_000 });
}

/** Creates and starts a cluster. */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'openum-pg-'));
  const data = join(dir, 'data');
  if (userInfo().uid === 0) {
    let uid: number;
    let gid: number;
    try {
      const { stdout } = await run('id', ['-u', POSTGRES_USER]);
      uid = Number(stdout.trim());
      gid = Number((await run('id', ['-g', POSTGRES_USER])).stdout.trim());
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('running as root, but there is no postgres OS user to run initdb as: install the Debian package postgresql');
    }
    chownSync(dir, uid, gid);
  }
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, 'postmaster.pid'))) await runTool(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runTool(bin, 'initdb', ['-D', data, '-U', POSTGRES_USER, '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    let port = 0;
    // A free port can be taken between the probe and the server's bind: try a few.
    for (let attempt = 1; attempt <= 3 && port === 0; attempt++) {
      const candidate = await freePort();
      try {
        await runTool(bin, 'pg_ctl', [
          '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
          '-o', `-c listen_addresses=127.0.0.1 -p ${candidate} -k ${dir} -c fsync=off -c max_connections=50`,
          'start',
        ]);
        port = candidate;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const createDatabase = async (name: string): Promise<string> => {
      const client = new pg.Client({ host: '127.0.0.1', port, user: POSTGRES_USER, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${name}`;
    };
    return { port, dir, createDatabase, stop };
  } catch (error) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${(error as Error).message}${log ? `\n${log}` : ''}`);
  }
}
