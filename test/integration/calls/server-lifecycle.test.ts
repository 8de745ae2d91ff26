import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { runSipp } from '../../support/sipp.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const forward = (port: number) => runSipp([`127.0.0.1:${port}`, '-sf', 'gateway-forward.xml', '-s', '99999', '-key', 'diversion', 'kim@contoso.com', '-m', '1'], { hardLimitMs: 30000 });
const busy = (port: number) => runSipp([`127.0.0.1:${port}`, '-sf', 'server-busy.xml', '-s', '99999', '-m', '1'], { hardLimitMs: 30000 });

describe('admission under load and shutdown', () => {
  let openum: OpenumUnderTest | undefined;
  afterEach(async () => {
    await openum?.stop();
    openum = undefined;
  });

  test('beyond MaxCallsAllowed a new call gets 503 while the running one completes', async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(1), maxCalls: 1 }));
    const first = forward(openum.udpPort);
    await sleep(1000);
    const second = await busy(openum.udpPort);
    expect({ code: second.code, output: second.code === 0 ? '' : second.output }).toEqual({ code: 0, output: '' });
    expect((await first).code).toBe(0);
    const metrics = await (await fetch(`http://127.0.0.1:${openum.server.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/openum_calls_total\{result="rejected-503"\} 1/);
    expect(metrics).toMatch(/openum_calls_total\{result="answered"\} 1/);
    expect(metrics).toMatch(/openum_rtp_packets_in_total [1-9]\d+/);
  }, 40000);

  test('when no RTP port is left, a new call gets 503 (not silence) while the running one completes', async () => {
    const base = rtpPortBase(1);
    // One even RTP port and its RTCP port: room for exactly one call.
    openum = await startOpenum(testSiteYaml({ rtpPortMin: base }).replace(`PortMax: ${base + 399}`, `PortMax: ${base + 1}`));
    const first = forward(openum.udpPort);
    await sleep(1000);
    const second = await busy(openum.udpPort);
    expect({ code: second.code, output: second.code === 0 ? '' : second.output }).toEqual({ code: 0, output: '' });
    expect((await first).code).toBe(0);
  }, 40000);

  test('gateways named by host follow DNS: a source becomes a gateway when its name resolves to it', async () => {
    let address = '127.0.0.9';
    const yaml = testSiteYaml({ rtpPortMin: rtpPortBase(1) }).replace('Name: Loopback, Address: 127.0.0.1', 'Name: Loopback, Address: gw.example.test');
    openum = await startOpenum(yaml, { resolveGatewayAddress: async () => [address], gatewayRefreshMs: 200 });
    const refused = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'not-a-gateway.xml', '-s', '99999', '-m', '1'], { hardLimitMs: 30000 });
    expect({ code: refused.code, output: refused.code === 0 ? '' : refused.output }).toEqual({ code: 0, output: '' }); // 403
    address = '127.0.0.1';
    await sleep(600);
    const admitted = await runSipp([`127.0.0.1:${openum.udpPort}`, '-sf', 'unknown-target.xml', '-s', '59999', '-m', '1'], { hardLimitMs: 30000 });
    expect(admitted.code).toBe(0); // 404: past admission, no such mailbox
  }, 40000);

  test('draining: /healthz turns 503, new calls get 503, the active call finishes, then the server stops', async () => {
    openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(2) }));
    const health = async () => fetch(`http://127.0.0.1:${openum!.server.httpPort}/healthz`);
    const before = await health();
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ ok: true, state: 'serving', activeCalls: 0 });
    const first = forward(openum.udpPort);
    await sleep(1000);
    const drained = openum.server.drain(20000);
    const during = await health();
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ state: 'draining', activeCalls: 1 });
    const refused = await busy(openum.udpPort);
    expect(refused.code).toBe(0);
    expect((await first).code).toBe(0);
    await drained;
    expect(openum.server.activeCalls).toBe(0);
    await expect(health()).rejects.toThrow();
  }, 40000);
});

describe('openum serve as a process', () => {
  test('logs JSON, serves the test extension, and exits 0 on SIGTERM after draining', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-process-'));
    const config = join(dir, 'openum.yaml');
    writeFileSync(config, testSiteYaml({ rtpPortMin: rtpPortBase(3) }).replace('Server:\n', 'Server:\n  Sip: { Listen: ["udp:127.0.0.1:0"] }\n  Http: { Listen: "127.0.0.1:0" }\n'));
    const child = spawn(process.execPath, [repoPath('bin/openum.js'), 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 100 && !lines.some((l) => l['msg'] === 'openum serving'); i++) await sleep(100);
      const serving = lines.find((l) => l['msg'] === 'openum serving');
      expect(serving).toBeDefined();
      const port = Number(String((serving!['sip'] as string[])[0]).split(':').pop());
      const call = await forward(port);
      expect(call.code).toBe(0);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const messages = lines.map((l) => l['msg']);
      expect(messages).toEqual(expect.arrayContaining(['test call finished', 'stopping', 'draining', 'stopped']));
      expect(lines.find((l) => l['msg'] === 'test call finished')).toMatchObject({ callId: expect.any(String), digits: '123' });
    } finally {
      child.kill('SIGKILL');
    }
  }, 40000);
});
