import { childElement, childElements, element, parseXml, serializeXml, textElement, XmlParseError } from '../xml/index.js';
import type { XmlElement, XmlNode } from '../xml/index.js';
import type { UmUser, UnifiedMessagingBackend } from '../um-backend.js';
import { canonicalMicrosoftNamespace } from '../ews/ews-namespaces.js';
import { SOAP11, SOAP12, SOAP_AUTODISCOVER, WS_ADDRESSING, XSI } from './autodiscover-namespaces.js';
import { serviceUrls } from './service-urls.js';
import type { ServiceUrls } from './service-urls.js';

/** A SOAP Autodiscover answer: the document and the HTTP status and content type to send it with. */
export interface SoapAutodiscoverAnswer {
  status: 200 | 500;
  contentType: string;
  xml: string;
}

const ACTION_BASE = 'http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover';
/** Exchange 2010 SP1 as SOAP Autodiscover reports it (same build as EWS's ServerVersionInfo). */
const SERVER_VERSION: ReadonlyArray<[string, string | number]> = [
  ['MajorVersion', 14],
  ['MinorVersion', 1],
  ['MajorBuildNumber', 218],
  ['MinorBuildNumber', 15],
  ['Version', 'Exchange2010_SP1'],
];
const CAS_VERSION = '14.01.0218.015';
const EWS_SCHEMAS = 'Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1';

/** The user settings openum can give (UserSettingName values); any other is reported as not available. */
const SETTINGS: ReadonlyMap<string, (user: UmUser, urls: ServiceUrls) => string> = new Map([
  ['UserDisplayName', (user) => user.displayName],
  ['UserDN', (user) => user.legacyDn],
  ['UserDeploymentId', (_user, urls) => urls.deploymentId],
  ['AutoDiscoverSMTPAddress', (user) => user.primarySmtpAddress],
  ['InternalEwsUrl', (_user, urls) => urls.ewsUrl],
  ['ExternalEwsUrl', (_user, urls) => urls.ewsUrl],
  ['InternalUMUrl', (_user, urls) => urls.umUrl],
  ['ExternalUMUrl', (_user, urls) => urls.umUrl],
  ['InternalEcpUrl', (_user, urls) => urls.ecpUrl],
  ['ExternalEcpUrl', (_user, urls) => urls.ecpUrl],
  ['CasVersion', () => CAS_VERSION],
  ['EwsSupportedSchemas', () => EWS_SCHEMAS],
]);

/** A request the SOAP endpoint rejects as a whole (answered with a SOAP fault). */
class SoapAutodiscoverFault extends Error {}

/**
 * Answers `POST /autodiscover/autodiscover.svc`. Only GetUserSettings is served: it is what the EWS
 * Managed API (and its JavaScript port, whose POX client is unimplemented) uses to find EwsUrl.
 */
export function answerSoapAutodiscover(body: unknown, backend: UnifiedMessagingBackend): SoapAutodiscoverAnswer {
  let soap = SOAP11;
  try {
    const root = readEnvelope(body);
    soap = root.namespace;
    const operation = childElement(root, soap, 'Body')?.children[0];
    if (operation === undefined) throw new SoapAutodiscoverFault('The SOAP envelope has no Body operation.');
    if (operation.namespace !== SOAP_AUTODISCOVER || operation.localName !== 'GetUserSettingsRequestMessage') {
      throw new SoapAutodiscoverFault(`The operation {${operation.namespace}}${operation.localName} is not supported by openum.`);
    }
    return { status: 200, contentType: contentTypeOf(soap), xml: envelope(soap, getUserSettings(operation, backend)) };
  } catch (error) {
    if (!(error instanceof SoapAutodiscoverFault)) throw error;
    return { status: 500, contentType: contentTypeOf(soap), xml: fault(soap, error.message) };
  }
}

function readEnvelope(body: unknown): XmlElement {
  if (typeof body !== 'string') throw new SoapAutodiscoverFault('The request body must be a SOAP XML document.');
  let root: XmlElement;
  try {
    root = parseXml(body, { canonicalNamespace: canonicalMicrosoftNamespace });
  } catch (error) {
    if (error instanceof XmlParseError) throw new SoapAutodiscoverFault(`The request is not well-formed XML: ${error.message}`);
    throw error;
  }
  if (root.localName !== 'Envelope' || (root.namespace !== SOAP11 && root.namespace !== SOAP12)) {
    throw new SoapAutodiscoverFault('The request is not a SOAP envelope.');
  }
  return root;
}

function contentTypeOf(soap: string): string {
  return soap === SOAP12 ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
}

function getUserSettings(operation: XmlElement, backend: UnifiedMessagingBackend): XmlNode {
  const request = childElement(operation, SOAP_AUTODISCOVER, 'Request');
  const users = request === undefined ? undefined : childElement(request, SOAP_AUTODISCOVER, 'Users');
  const requested = request === undefined ? undefined : childElement(request, SOAP_AUTODISCOVER, 'RequestedSettings');
  const addresses = users === undefined ? [] : childElements(users, SOAP_AUTODISCOVER, 'User').map((user) => childElement(user, SOAP_AUTODISCOVER, 'Mailbox')?.text.trim() ?? '');
  const names = requested === undefined ? [] : childElements(requested, SOAP_AUTODISCOVER, 'Setting').map((setting) => setting.text.trim());
  if (addresses.length === 0 || names.length === 0) {
    return responseMessage('InvalidRequest', 'The request must name at least one user and one setting.', []);
  }
  const urls = serviceUrls(backend.publicBaseUrl());
  return responseMessage('NoError', '', addresses.map((address) => userResponse(address, names, backend, urls)));
}

function userResponse(address: string, names: readonly string[], backend: UnifiedMessagingBackend, urls: ServiceUrls): XmlNode {
  const user = address === '' ? undefined : backend.findUserByEmail(address);
  if (user === undefined) {
    return element(
      'UserResponse',
      {},
      textElement('ErrorCode', 'InvalidUser'),
      textElement('ErrorMessage', `Invalid user: '${address}'`),
      element('RedirectTarget', { 'i:nil': 'true' }),
      element('UserSettingErrors'),
      element('UserSettings'),
    );
  }
  const settings: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const name of new Set(names)) {
    const value = SETTINGS.get(name);
    if (value === undefined) {
      errors.push(
        element(
          'UserSettingError',
          {},
          textElement('ErrorCode', 'SettingIsNotAvailable'),
          textElement('ErrorMessage', `User setting '${name}' is not available.`),
          textElement('SettingName', name),
        ),
      );
    } else {
      settings.push(element('UserSetting', { 'i:type': 'StringSetting' }, textElement('Name', name), textElement('Value', value(user, urls))));
    }
  }
  return element(
    'UserResponse',
    {},
    textElement('ErrorCode', 'NoError'),
    textElement('ErrorMessage', 'No error.'),
    element('RedirectTarget', { 'i:nil': 'true' }),
    element('UserSettingErrors', {}, ...errors),
    element('UserSettings', {}, ...settings),
  );
}

function responseMessage(errorCode: 'NoError' | 'InvalidRequest', message: string, userResponses: XmlNode[]): XmlNode {
  return element(
    'GetUserSettingsResponseMessage',
    { xmlns: SOAP_AUTODISCOVER },
    element('Response', { 'xmlns:i': XSI }, textElement('ErrorCode', errorCode), element('ErrorMessage', {}, message), element('UserResponses', {}, ...userResponses)),
  );
}

function envelope(soap: string, body: XmlNode): string {
  return serializeXml(
    element(
      's:Envelope',
      { 'xmlns:s': soap, 'xmlns:a': WS_ADDRESSING },
      element(
        's:Header',
        {},
        element('a:Action', { 's:mustUnderstand': 1 }, `${ACTION_BASE}/GetUserSettingsResponse`),
        element('h:ServerVersionInfo', { 'xmlns:h': SOAP_AUTODISCOVER, 'xmlns:i': XSI }, ...SERVER_VERSION.map(([name, value]) => textElement(`h:${name}`, value))),
      ),
      element('s:Body', {}, body),
    ),
  );
}

function fault(soap: string, message: string): string {
  const reason = soap === SOAP12
    ? [element('s:Code', {}, textElement('s:Value', 's:Sender')), element('s:Reason', {}, element('s:Text', { 'xml:lang': 'en-US' }, message))]
    : [textElement('faultcode', 's:Client'), element('faultstring', { 'xml:lang': 'en-US' }, message)];
  return serializeXml(element('s:Envelope', { 'xmlns:s': soap }, element('s:Body', {}, element('s:Fault', {}, ...reason))));
}
