// The HTTP endpoint's transport security (spec §8.1: Basic over TLS): HTTPS with a configured
// certificate, Autodiscover advertising the https EwsUrl; plain HTTP refused on a non-loopback address.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CONFIGURATION_CHECKS, startNode } from '../../../src/app/index.js';
import { loadConfigurationText } from '../../../src/config/index.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';

function httpsPost(port: number, path: string, body: string, ca: Buffer, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, servername: 'localhost', headers: { 'content-type': 'text/xml', authorization } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTPS and plain HTTP', () => {
  test('with a certificate the endpoint is HTTPS, and Autodiscover returns an https EwsUrl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-https-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore', timeout: 20_000 });
      const yaml = testSiteYaml({ rtpPortMin: rtpPortBase(6) }).replace('Server:\n', `Server:\n  Http: { TlsCertificate: ${join(dir, 'cert.pem')}, TlsKey: ${join(dir, 'key.pem')}, PublicUrl: "https://localhost:8443" }\n`);
      const openum = await startOpenum(yaml);
      try {
        await openum.node.store.credentials.setPassword('kim', 'kim password 1');
        const pox = `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>kim@contoso.com</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
        const reply = await httpsPost(openum.server.httpPort, '/autodiscover/autodiscover.xml', pox, readFileSync(join(dir, 'cert.pem')), `Basic ${Buffer.from('kim:kim password 1').toString('base64')}`);
        expect(reply.status).toBe(200);
        expect(reply.body).toContain('<EwsUrl>https://localhost:8443/EWS/Exchange.asmx</EwsUrl>');
        // Plain HTTP on the same port is not spoken.
        await expect(fetch(`http://127.0.0.1:${openum.server.httpPort}/healthz`)).rejects.toThrow();
      } finally {
        await openum.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  test('without a certificate, a non-loopback HTTP address is refused at start with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openum-plain-'));
    try {
      const file = join(dir, 'openum.yaml');
      const loaded = loadConfigurationText(testSiteYaml({ rtpPortMin: rtpPortBase(6) }), file, { checks: CONFIGURATION_CHECKS });
      // 192.0.2.1 (TEST-NET-1) is never local: had the check not refused it, listen() would fail differently.
      const starting = startNode(loaded.configuration!, {
        logger: pino({ level: 'silent' }),
        listenOverride: { sip: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], http: { host: '192.0.2.1', port: 0 } },
      });
      await expect(starting).rejects.toMatchObject({ code: 'OPENUM_APP_PLAIN_HTTP_REFUSED', message: expect.stringContaining('AllowPlainHttp') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);
});
