import Fastify from 'fastify';
import {
  AutodiscoverService,
  BasePropertySet,
  EmailMessage,
  ExchangeService,
  ExchangeVersion,
  FolderId,
  ItemId,
  ItemView,
  PropertySet,
  ServiceResponseException,
  Uri,
  UserSettingName,
  WebCredentials,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { FileAttachment } from 'ews-javascript-api';
import { registerAutodiscover } from '../../../src/http/autodiscover/index.js';
import { encodeEwsId, registerEws } from '../../../src/http/ews/index.js';
import { childElement, parseXml } from '../../../src/http/xml/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import type { InMemoryUmBackend } from '../../unit/http/in-memory-um-backend.js';
import { basic, basicAuthenticate, listen, M, path, populatedBackend, post, SOAP, soap } from '../../unit/http/ews-test-kit.js';
import type { TestServer } from '../../unit/http/ews-test-kit.js';

/*
 * openum's EWS and Autodiscover driven by ews-javascript-api 0.15.3 (the JavaScript port of the EWS
 * Managed API) over a real socket. The library talks plain http when given an http URL (its default XHR
 * is @ewsjs/xhr over axios, nothing to configure). What it cannot do is noted where it matters:
 *  - discovery by domain: it only tries https://<domain>/… and https://autodiscover.<domain>/…, so the
 *    AutodiscoverService is pointed at the local autodiscover.svc explicitly;
 *  - POX Autodiscover (what Lync uses): unimplemented in the library, sent by hand below;
 *  - UnifiedMessaging (PlayOnPhone, GetPhoneCallInformation, DisconnectPhoneCall) and
 *    GetServiceConfiguration: stubs that throw "Not implemented", so that SOAP is sent by hand too.
 */

let backend: InMemoryUmBackend;
let server: TestServer;
let ewsUrl: string;

const KIM_OLDER = '0b6f1c9e-0000-4000-8000-000000000001';
const KIM_NEWER = '0b6f1c9e-0000-4000-8000-000000000002';
const LEE_ONLY = '0b6f1c9e-0000-4000-8000-0000000000ee';

function exchangeService(alias: string, password = [...alias].reverse().join('')): ExchangeService {
  const service = new ExchangeService(ExchangeVersion.Exchange2010_SP1);
  service.Credentials = new WebCredentials(alias, password);
  service.Url = new Uri(ewsUrl);
  return service;
}

beforeAll(async () => {
  backend = await populatedBackend();
  const app = Fastify({ logger: false });
  registerEws(app, { backend, authenticate: basicAuthenticate(backend) });
  registerAutodiscover(app, { backend, authenticate: basicAuthenticate(backend) });
  server = await listen(app);
  backend.baseUrl = server.origin;

  // Autodiscover first, as a Managed API client does: everything below uses the EwsUrl it returns.
  const autodiscover = new AutodiscoverService(new Uri(`${server.origin}/autodiscover/autodiscover.svc`), ExchangeVersion.Exchange2010_SP1);
  autodiscover.Credentials = new WebCredentials('kim', 'mik');
  const settings = await autodiscover.GetUserSettings('kim@contoso.com', [UserSettingName.ExternalEwsUrl, UserSettingName.UserDisplayName]);
  ewsUrl = settings.GetSettingValue<string>(UserSettingName.ExternalEwsUrl);
  expect(settings.GetSettingValue<string>(UserSettingName.UserDisplayName)).toBe('Kim Akers');
});

afterAll(async () => {
  await server.close();
  await backend.close();
});

describe('ews-javascript-api against openum', () => {
  it('finds EWS through SOAP Autodiscover', () => {
    expect(ewsUrl).toBe(`${server.origin}/EWS/Exchange.asmx`);
  });

  it('finds the same EwsUrl through POX Autodiscover (by hand: the library has no POX client)', async () => {
    const request = `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>kim@contoso.com</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    const reply = await post(server, '/Autodiscover/Autodiscover.xml', request, { authorization: basic('kim') });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(`<EwsUrl>${ewsUrl}</EwsUrl>`);
  });

  it('lists the voicemail folder newest first with FindItems', async () => {
    const found = await exchangeService('kim').FindItems(new FolderId(WellKnownFolderName.VoiceMail), new ItemView(10));
    expect(found.TotalCount).toBe(2);
    expect(found.Items.map((item) => item.Id.UniqueId)).toEqual([encodeEwsId('item', KIM_NEWER), encodeEwsId('item', KIM_OLDER)]);
    expect(found.Items.map((item) => item.Subject)).toEqual(['Voice Mail from Anonymous (3 seconds)', 'Voice Mail from Lee Hu (12 seconds)']);
    expect(found.Items.map((item) => (item as EmailMessage).IsRead)).toEqual([true, false]);
  });

  it('pages with ItemView offset', async () => {
    const view = new ItemView(1, 1);
    const found = await exchangeService('kim').FindItems(new FolderId(WellKnownFolderName.VoiceMail), view);
    expect(found.Items.map((item) => item.Id.UniqueId)).toEqual([encodeEwsId('item', KIM_OLDER)]);
    expect(found.MoreAvailable).toBe(false);
  });

  it('binds a message and loads its audio attachment bytes (GetItem, GetAttachment)', async () => {
    const service = exchangeService('kim');
    const message = await EmailMessage.Bind(service, new ItemId(encodeEwsId('item', KIM_OLDER)), new PropertySet(BasePropertySet.FirstClassProperties));
    expect(message.Subject).toBe('Voice Mail from Lee Hu (12 seconds)');
    expect(message.HasAttachments).toBe(true);
    expect(message.Attachments.Count).toBe(1);
    const attachment = message.Attachments._getItem(0) as FileAttachment;
    expect(attachment.Name).toBe(`Voice Mail from Kim Akers ${KIM_OLDER}.wav`);
    expect(attachment.ContentType).toBe('audio/wav');
    await attachment.Load();
    expect(Buffer.from(attachment.Base64Content, 'base64')).toEqual(Buffer.from('older audio'));
  });

  it('cannot bind another user\'s message: ErrorItemNotFound', async () => {
    const bind = EmailMessage.Bind(exchangeService('kim'), new ItemId(encodeEwsId('item', LEE_ONLY)), new PropertySet(BasePropertySet.FirstClassProperties));
    await expect(bind).rejects.toBeInstanceOf(ServiceResponseException);
    await expect(bind).rejects.toMatchObject({ Response: { ErrorCode: 249 /* ServiceError.ErrorItemNotFound */ } });
  });

  it('fails on wrong credentials', async () => {
    await expect(exchangeService('kim', 'wrong').FindItems(new FolderId(WellKnownFolderName.VoiceMail), new ItemView(10))).rejects.toBeDefined();
  });

  it('has no Play on Phone in the library (which is why the next test sends it by hand)', () => {
    expect(() => exchangeService('kim').UnifiedMessaging.PlayOnPhone(new ItemId(encodeEwsId('item', KIM_OLDER)), '+14255550199')).toThrow(/Not implemented/);
  });

  it('plays a message on a phone, reads the call state and hangs up (PlayOnPhone, GetPhoneCallInformation, DisconnectPhoneCall)', async () => {
    const call = async (operation: string): Promise<XmlElement> => {
      const reply = await post(server, new URL(ewsUrl).pathname, soap(operation), { authorization: basic('kim') });
      expect(reply.status).toBe(200);
      const response = childElement(parseXml(reply.body), SOAP, 'Body')?.children[0];
      expect(response?.namespace).toBe(M);
      return response!;
    };
    const started = await call(`<m:PlayOnPhone><m:ItemId Id="${encodeEwsId('item', KIM_OLDER)}"/><m:DialString>+14255550199</m:DialString></m:PlayOnPhone>`);
    const phoneCallId = path(started, 'PhoneCallId').attributes.get('Id')!;
    const info = await call(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${phoneCallId}"/></m:GetPhoneCallInformation>`);
    expect(path(info, 'PhoneCallInformation', 'PhoneCallState').text).toBe('Connecting');
    const ended = await call(`<m:DisconnectPhoneCall><m:PhoneCallId Id="${phoneCallId}"/></m:DisconnectPhoneCall>`);
    expect(path(ended, 'ResponseCode').text).toBe('NoError');
    const after = await call(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${phoneCallId}"/></m:GetPhoneCallInformation>`);
    expect(path(after, 'PhoneCallInformation', 'PhoneCallState').text).toBe('Disconnected');
    const configuration = await call('<m:GetServiceConfiguration><m:RequestedConfiguration><m:ConfigurationName>UnifiedMessagingConfiguration</m:ConfigurationName></m:RequestedConfiguration></m:GetServiceConfiguration>');
    expect(path(configuration, 'ResponseMessages', 'ServiceConfigurationResponseMessageType', 'UnifiedMessagingConfiguration', 'PlayOnPhoneEnabled').text).toBe('true');
  });
});
