import { childElement, childElements, childText, parseXml } from '../../../src/http/xml/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import { autodiscoverServer } from './autodiscover-test-kit.js';
import { basic, post, servedBackend } from './ews-test-kit.js';

const AD = 'http://schemas.microsoft.com/exchange/2010/Autodiscover';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

function getUserSettings(addresses: string[], settings: string[], soap = SOAP11): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:a="${AD}" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:soap="${soap}">
  <soap:Header><a:RequestedServerVersion>Exchange2010_SP1</a:RequestedServerVersion><wsa:Action>${AD}/Autodiscover/GetUserSettings</wsa:Action></soap:Header>
  <soap:Body><a:GetUserSettingsRequestMessage><a:Request>
    <a:Users>${addresses.map((address) => `<a:User><a:Mailbox>${address}</a:Mailbox></a:User>`).join('')}</a:Users>
    <a:RequestedSettings>${settings.map((setting) => `<a:Setting>${setting}</a:Setting>`).join('')}</a:RequestedSettings>
  </a:Request></a:GetUserSettingsRequestMessage></soap:Body>
</soap:Envelope>`;
}


const fixture = servedBackend((backend) => autodiscoverServer(backend));

async function svc(body: string): Promise<{ status: number; envelope: XmlElement; contentType: string | null }> {
  const reply = await post(fixture.server, '/autodiscover/autodiscover.svc', body, { authorization: basic('kim') });
  return { status: reply.status, envelope: parseXml(reply.body), contentType: reply.headers.get('content-type') };
}

function response(envelope: XmlElement): XmlElement {
  const message = childElement(childElement(envelope, envelope.namespace, 'Body')!, AD, 'GetUserSettingsResponseMessage')!;
  return childElement(message, AD, 'Response')!;
}

function settingsOf(userResponse: XmlElement): Record<string, string> {
  const settings = childElements(childElement(userResponse, AD, 'UserSettings')!, AD, 'UserSetting');
  return Object.fromEntries(settings.map((setting) => [childText(setting, AD, 'Name') ?? '', childText(setting, AD, 'Value') ?? '']));
}

describe('SOAP Autodiscover GetUserSettings', () => {
  it('returns the requested settings as StringSettings, and SettingIsNotAvailable for the rest', async () => {
    const { status, envelope } = await svc(getUserSettings(['kim@contoso.com'], ['ExternalEwsUrl', 'InternalEwsUrl', 'UserDisplayName', 'UserDN', 'MapiHttpEnabled']));
    expect(status).toBe(200);
    const header = childElement(envelope, SOAP11, 'Header')!;
    expect(childText(childElement(header, AD, 'ServerVersionInfo')!, AD, 'Version')).toBe('Exchange2010_SP1');
    const body = response(envelope);
    expect(childText(body, AD, 'ErrorCode')).toBe('NoError');
    const [user] = childElements(childElement(body, AD, 'UserResponses')!, AD, 'UserResponse');
    expect(childText(user!, AD, 'ErrorCode')).toBe('NoError');
    expect(settingsOf(user!)).toEqual({
      ExternalEwsUrl: 'https://um.contoso.com/EWS/Exchange.asmx',
      InternalEwsUrl: 'https://um.contoso.com/EWS/Exchange.asmx',
      UserDisplayName: 'Kim Akers',
      UserDN: '/o=openum/ou=contoso/cn=Recipients/cn=kim',
    });
    const setting = childElement(childElement(user!, AD, 'UserSettings')!, AD, 'UserSetting')!;
    expect(setting.attributes.get('{http://www.w3.org/2001/XMLSchema-instance}type')).toBe('StringSetting');
    const [error] = childElements(childElement(user!, AD, 'UserSettingErrors')!, AD, 'UserSettingError');
    expect(childText(error!, AD, 'ErrorCode')).toBe('SettingIsNotAvailable');
    expect(childText(error!, AD, 'SettingName')).toBe('MapiHttpEnabled');
  });

  it('answers an unknown user with InvalidUser in its own UserResponse', async () => {
    const { envelope } = await svc(getUserSettings(['ghost@contoso.com', 'lee@contoso.com'], ['UserDisplayName']));
    const users = childElements(childElement(response(envelope), AD, 'UserResponses')!, AD, 'UserResponse');
    expect(users.map((user) => childText(user, AD, 'ErrorCode'))).toEqual(['InvalidUser', 'NoError']);
    expect(settingsOf(users[1]!)).toEqual({ UserDisplayName: 'Lee Hu' });
  });

  it('answers a request without users or settings with InvalidRequest', async () => {
    const { status, envelope } = await svc(getUserSettings([], ['UserDisplayName']));
    expect(status).toBe(200);
    expect(childText(response(envelope), AD, 'ErrorCode')).toBe('InvalidRequest');
  });

  it('answers a SOAP 1.2 request in SOAP 1.2', async () => {
    const { status, envelope, contentType } = await svc(getUserSettings(['kim@contoso.com'], ['UserDisplayName'], SOAP12));
    expect(status).toBe(200);
    expect(envelope.namespace).toBe(SOAP12);
    expect(contentType).toMatch(/^application\/soap\+xml/);
  });

  it.each([
    ['malformed XML', '<soap:Envelope'],
    ['a non-SOAP document', '<a/>'],
    ['an unsupported operation', `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetDomainSettingsRequestMessage xmlns="${AD}"/></s:Body></s:Envelope>`],
  ])('answers %s with a SOAP fault (HTTP 500)', async (_name, body) => {
    const { status, envelope } = await svc(body);
    expect(status).toBe(500);
    expect(childElement(childElement(envelope, SOAP11, 'Body')!, SOAP11, 'Fault')).toBeDefined();
  });

  it('asks for credentials with 401', async () => {
    const reply = await post(fixture.server, '/autodiscover/autodiscover.svc', getUserSettings(['kim@contoso.com'], ['UserDisplayName']));
    expect(reply.status).toBe(401);
    expect(reply.headers.get('x-soap-enabled')).toBe('True');
  });
});
