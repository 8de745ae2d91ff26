import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SipEndpoint } from '../../../src/sip/index.js';
import { SDP_OFFER } from '../../unit/sip/support/sip-messages.js';

const SIPP = '/usr/bin/sipp';

interface SippResult {
  code: number | null;
  output: string;
}

/** Run SIPp bound to 127.0.0.1 with a call count and a global timeout, so it always ends. */
function runSipp(args: string[], hardLimitMs: number): Promise<SippResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'openum-sipp-'));
  return new Promise((resolve) => {
    const child = spawn(SIPP, [...args, '-i', '127.0.0.1', '-nostdin', '-timeout', '30s', '-timeout_error'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const killer = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output: output.slice(-3000) });
    });
  });
}

describe('SIPp built-in uac against the endpoint', () => {
  let endpoint: SipEndpoint;
  let answered = 0;

  beforeAll(async () => {
    endpoint = await SipEndpoint.start({
      listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }],
      logger: pino({ level: 'silent' }),
      resolveTarget: (uri) => uri.user === 'service', // SIPp's default Request-URI user
      delegate: {
        onInvite: (uas) => {
          answered++;
          uas.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: SDP_OFFER } });
        },
      },
    });
  });

  afterAll(() => endpoint?.close());

  it('SIPp is installed (sip-tester)', () => {
    expect(existsSync(SIPP)).toBe(true);
  });

  it.each([
    ['UDP', 'u1', 0],
    ['TCP', 't1', 1],
  ])('completes 10 calls (INVITE/100/200/ACK/BYE/200) over %s', async (_name, mode, index) => {
    const port = endpoint.listeners[index as number]?.port ?? 0;
    const before = answered;
    const result = await runSipp([`127.0.0.1:${port}`, '-sn', 'uac', '-t', mode as string, '-m', '10', '-r', '20', '-d', '100'], 45_000);
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output }).toEqual({ code: 0, tail: '' });
    expect(answered - before).toBe(10);
  }, 60_000);

  it('completes calls over UDP with 10 % packet loss, through retransmissions on both sides', async () => {
    const port = endpoint.listeners[0]?.port ?? 0;
    const result = await runSipp([`127.0.0.1:${port}`, '-sn', 'uac', '-t', 'u1', '-m', '10', '-r', '10', '-d', '100', '-lost', '10'], 55_000);
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output }).toEqual({ code: 0, tail: '' });
  }, 60_000);
});
