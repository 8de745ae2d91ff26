import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../../support/free-port.js';

const REPO = join(import.meta.dirname, '../../..');

describe('openum serve that cannot start', () => {
  test('a SIP port already taken: it says so and exits non-zero (its media threads do not keep it alive)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-start-failure-'));
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const sipPort = taken.address().port;
    try {
      const http = await closedPort();
      writeFileSync(
        join(dir, 'openum.yaml'),
        [`Server:`, `  Sip: { Listen: ["udp:127.0.0.1:${sipPort}"] }`, `  Http: { Listen: "127.0.0.1:${http}" }`, `  Rtp: { MediaThreads: 2 }`, `  DataDirectory: ./data`, `UMDialPlans: []`, `UMIPGateways: []`, ''].join('\n'),
      );
      const child = spawn(process.execPath, [join(REPO, 'bin/openum.js'), 'serve', '--config', join(dir, 'openum.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
      clearTimeout(killer);
      expect(output).toMatch(new RegExp(String(sipPort)));
      expect(code).not.toBeNull(); // null: killed after 20 s, i.e. it hung
      expect(code).not.toBe(0);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
