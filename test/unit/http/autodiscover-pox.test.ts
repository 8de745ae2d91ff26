import { childElement, childText, parseXml } from '../../../src/http/xml/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import type { InMemoryUmBackend } from './in-memory-um-backend.js';
import { autodiscoverServer } from './autodiscover-test-kit.js';
import { basic, populatedBackend, post } from './ews-test-kit.js';
import type { TestServer } from './ews-test-kit.js';

const REQUEST_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const OUTLOOK_NS = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

function poxRequest(address: string, schema = OUTLOOK_NS): string {
  return `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${REQUEST_NS}"><Request><EMailAddress>${address}</EMailAddress><AcceptableResponseSchema>${schema}</AcceptableResponseSchema></Request></Autodiscover>`;
}

let backend: InMemoryUmBackend;
let server: TestServer;

beforeAll(async () => {
  backend = await populatedBackend();
  backend.baseUrl = 'https://um.contoso.com:8443/';
  server = await autodiscoverServer(backend);
});

afterAll(async () => {
  await server.close();
  await backend.close();
});

async function discover(body: string, url = '/autodiscover/autodiscover.xml'): Promise<{ status: number; root: XmlElement; headers: Headers }> {
  const reply = await post(server, url, body, { authorization: basic('kim') });
  return { status: reply.status, root: parseXml(reply.body), headers: reply.headers };
}

function expectInvalidRequest(root: XmlElement): void {
  expect(root).toMatchObject({ namespace: RESPONSE_NS, localName: 'Autodiscover' });
  const error = childElement(childElement(root, RESPONSE_NS, 'Response')!, RESPONSE_NS, 'Error');
  expect(childText(error!, RESPONSE_NS, 'ErrorCode')).toBe('600');
  expect(childText(error!, RESPONSE_NS, 'Message')).toBe('Invalid Request');
  expect(error?.attributes.get('Id')).toMatch(/^\d+$/);
  expect(error?.attributes.get('Time')).toMatch(/^\d\d:\d\d:\d\d\.\d+$/);
}

describe('POX Autodiscover', () => {
  it('returns User and Account with EXCH and EXPR protocols pointing at openum (spec §8.2)', async () => {
    const { status, root, headers } = await discover(poxRequest('Kim@Contoso.com'));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/xml/);
    expect(root).toMatchObject({ namespace: RESPONSE_NS, localName: 'Autodiscover' });
    const response = childElement(root, OUTLOOK_NS, 'Response')!;
    const user = childElement(response, OUTLOOK_NS, 'User')!;
    expect(childText(user, OUTLOOK_NS, 'DisplayName')).toBe('Kim Akers');
    expect(childText(user, OUTLOOK_NS, 'LegacyDN')).toBe('/o=openum/ou=contoso/cn=Recipients/cn=kim');
    expect(childText(user, OUTLOOK_NS, 'AutoDiscoverSMTPAddress')).toBe('kim@contoso.com');
    expect(childText(user, OUTLOOK_NS, 'DeploymentId')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const account = childElement(response, OUTLOOK_NS, 'Account')!;
    expect(childText(account, OUTLOOK_NS, 'AccountType')).toBe('email');
    expect(childText(account, OUTLOOK_NS, 'Action')).toBe('settings');
    const protocols = account.children.filter((child) => child.localName === 'Protocol');
    expect(protocols.map((protocol) => childText(protocol, OUTLOOK_NS, 'Type'))).toEqual(['EXCH', 'EXPR']);
    for (const protocol of protocols) {
      expect(childText(protocol, OUTLOOK_NS, 'EwsUrl')).toBe('https://um.contoso.com:8443/EWS/Exchange.asmx');
      expect(childText(protocol, OUTLOOK_NS, 'ASUrl')).toBe('https://um.contoso.com:8443/EWS/Exchange.asmx');
      expect(childText(protocol, OUTLOOK_NS, 'OOFUrl')).toBe('https://um.contoso.com:8443/EWS/Exchange.asmx');
      expect(childText(protocol, OUTLOOK_NS, 'UMUrl')).toBe('https://um.contoso.com:8443/UnifiedMessaging/Service.asmx');
      expect(childText(protocol, OUTLOOK_NS, 'EcpUrl')).toBe('https://um.contoso.com:8443/ecp/');
      expect(childText(protocol, OUTLOOK_NS, 'Server')).toBe('um.contoso.com');
    }
    expect(childText(protocols[1]!, OUTLOOK_NS, 'SSL')).toBe('On');
  });

  it('gives the same DeploymentId every time', async () => {
    const deploymentId = async (): Promise<string | undefined> => {
      const { root } = await discover(poxRequest('kim@contoso.com'));
      return childText(childElement(childElement(root, OUTLOOK_NS, 'Response')!, OUTLOOK_NS, 'User')!, OUTLOOK_NS, 'DeploymentId');
    };
    expect(await deploymentId()).toBe(await deploymentId());
  });

  it.each([
    ['an unknown address', poxRequest('ghost@contoso.com')],
    ['malformed XML', '<Autodiscover><Request>'],
    ['an empty body', ''],
    ['a request without EMailAddress', `<Autodiscover xmlns="${REQUEST_NS}"><Request><AcceptableResponseSchema>${OUTLOOK_NS}</AcceptableResponseSchema></Request></Autodiscover>`],
    ['the https namespace for the response schema value', poxRequest('kim@contoso.com', OUTLOOK_NS.replace('http:', 'https:'))],
    ['the mobile-sync response schema', poxRequest('kim@contoso.com', 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006')],
    ['a request in no namespace', `<Autodiscover><Request><EMailAddress>kim@contoso.com</EMailAddress><AcceptableResponseSchema>${OUTLOOK_NS}</AcceptableResponseSchema></Request></Autodiscover>`],
  ])('answers %s with error 600 Invalid Request (HTTP 200)', async (_name, body) => {
    const { status, root } = await discover(body);
    expect(status).toBe(200);
    expectInvalidRequest(root);
  });

  it.each([['/Autodiscover/Autodiscover.xml'], ['/AutoDiscover/AutoDiscover.xml'], ['/AUTODISCOVER/AUTODISCOVER.XML']])('serves %s too', async (url) => {
    const { status, root } = await discover(poxRequest('kim@contoso.com'), url);
    expect(status).toBe(200);
    expect(childElement(root, OUTLOOK_NS, 'Response')).toBeDefined();
  });

  it('asks for credentials with 401 and still advertises the SOAP endpoint', async () => {
    const reply = await post(server, '/autodiscover/autodiscover.xml', poxRequest('kim@contoso.com'));
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Basic realm="openum"');
    expect(reply.headers.get('x-soap-enabled')).toBe('True');
  });

  it('answers anonymously when no authenticate is configured', async () => {
    const open = await autodiscoverServer(backend, true);
    try {
      const reply = await post(open, '/autodiscover/autodiscover.xml', poxRequest('lee@contoso.com'));
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<DisplayName>Lee Hu</DisplayName>');
    } finally {
      await open.close();
    }
  });

  it('escapes user data it emits', async () => {
    backend.addUser('odd', 'A <b> & "c"', 'odd@contoso.com');
    const reply = await post(server, '/autodiscover/autodiscover.xml', poxRequest('odd@contoso.com'), { authorization: basic('kim') });
    expect(reply.body).toContain('<DisplayName>A &lt;b&gt; &amp; &quot;c&quot;</DisplayName>');
  });
});
