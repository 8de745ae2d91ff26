import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import pino from 'pino';
import { SipEndpoint } from '../../../src/sip/index.js';
import { branch, request, statusOf } from '../../unit/sip/support/sip-messages.js';

function openssl(): string | undefined {
  try {
    return execFileSync('which', ['openssl']).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

const opensslPath = openssl();

describe('SipEndpoint over TLS', () => {
  it('answers OPTIONS over TLS with a self-signed certificate, framed like TCP', async () => {
    // The test command installs openssl (scripts/ensure-tools.sh); never skipped.
    expect(opensslPath).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'openum-tls-'));
    let endpoint: SipEndpoint | undefined;
    try {
      execFileSync(opensslPath as string, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
      endpoint = await SipEndpoint.start({
        listen: [{ protocol: 'tls', host: '127.0.0.1', port: 0 }],
        tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
        logger: pino({ level: 'silent' }),
      });
      const port = endpoint.listeners[0]?.port ?? 0;
      expect(endpoint.listeners[0]?.contact).toMatch(/^sips:openum@127\.0\.0\.1:\d+;transport=tls$/);
      const response = await new Promise<string>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no TLS response')), 5000);
        const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          const options = request({ method: 'OPTIONS', via: `Via: SIP/2.0/TLS 127.0.0.1:${socket.localPort};branch=${branch()}` });
          // Two writes splitting the message, after a keep-alive ping.
          socket.write('\r\n\r\n');
          socket.write(options.slice(0, 40));
          setTimeout(() => socket.write(options.slice(40)), 20);
        });
        let text = '';
        socket.on('data', (d) => {
          text += d.toString();
          if (/\r\n\r\n/.test(text.replace(/^\r\n/, ''))) {
            clearTimeout(deadline);
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
      });
      expect(response.startsWith('\r\n')).toBe(true); // pong
      expect(statusOf(response.replace(/^\r\n/, ''))).toBe(200);
    } finally {
      endpoint?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a TLS listener without certificate material', async () => {
    await expect(SipEndpoint.start({ listen: [{ protocol: 'tls', host: '127.0.0.1', port: 0 }], logger: pino({ level: 'silent' }) }))
      .rejects.toMatchObject({ code: 'OPENUM_SIP_LISTEN' });
  });
});
