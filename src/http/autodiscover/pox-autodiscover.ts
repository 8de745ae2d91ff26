import { randomInt } from 'node:crypto';
import { childElement, childText, element, parseXml, serializeXml, textElement } from '../xml/index.js';
import type { XmlNode } from '../xml/index.js';
import type { UmUser, UnifiedMessagingBackend } from '../um-backend.js';
import { POX_OUTLOOK_RESPONSE, POX_REQUEST, POX_RESPONSE } from './autodiscover-namespaces.js';
import { canonicalMicrosoftNamespace } from '../ews/ews-namespaces.js';
import { ECP_UM_FRAGMENT, serviceUrls } from './service-urls.js';
import type { ServiceUrls } from './service-urls.js';

/** A POX Autodiscover answer: always HTTP 200 and XML, success or error (as Exchange does). */
export interface PoxAnswer {
  xml: string;
  /** What the log should say about it. */
  outcome: 'settings' | 'invalid-request';
  emailAddress?: string;
}

/**
 * Answers a POX Autodiscover request (spec §8.2): the user's settings, or error 600 Invalid Request for a
 * malformed request, an unsupported response schema or an address that is not a UM user's.
 */
export function answerPoxRequest(body: unknown, backend: UnifiedMessagingBackend, now: Date = new Date()): PoxAnswer {
  const emailAddress = readEmailAddress(body);
  if (emailAddress === undefined) return { xml: poxError(now), outcome: 'invalid-request' };
  const user = backend.findUserByEmail(emailAddress);
  if (user === undefined) return { xml: poxError(now), outcome: 'invalid-request', emailAddress };
  return { xml: poxSettings(user, serviceUrls(backend.publicBaseUrl())), outcome: 'settings', emailAddress };
}

/** The requested address, or undefined when the request is not one openum can answer. */
function readEmailAddress(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const root = parseXml(body, { canonicalNamespace: canonicalMicrosoftNamespace });
    if (root.namespace !== POX_REQUEST || root.localName !== 'Autodiscover') return undefined;
    const request = childElement(root, POX_REQUEST, 'Request');
    if (request === undefined) return undefined;
    if (childText(request, POX_REQUEST, 'AcceptableResponseSchema') !== POX_OUTLOOK_RESPONSE) return undefined;
    const address = childText(request, POX_REQUEST, 'EMailAddress');
    return address === undefined || address === '' ? undefined : address;
  } catch {
    // Malformed XML is the client's mistake; Autodiscover answers it with 600, never a server error.
    return undefined;
  }
}

function protocol(type: 'EXCH' | 'EXPR', urls: ServiceUrls): XmlNode {
  return element(
    'Protocol',
    {},
    textElement('Type', type),
    textElement('Server', urls.server),
    type === 'EXPR' ? textElement('SSL', urls.ssl ? 'On' : 'Off') : undefined,
    type === 'EXPR' ? textElement('AuthPackage', 'Basic') : undefined,
    textElement('ASUrl', urls.ewsUrl),
    textElement('EwsUrl', urls.ewsUrl),
    textElement('EcpUrl', urls.ecpUrl),
    textElement('EcpUrl-um', ECP_UM_FRAGMENT),
    textElement('OOFUrl', urls.ewsUrl),
    textElement('UMUrl', urls.umUrl),
  );
}

function poxSettings(user: UmUser, urls: ServiceUrls): string {
  return serializeXml(
    element(
      'Autodiscover',
      { xmlns: POX_RESPONSE },
      element(
        'Response',
        { xmlns: POX_OUTLOOK_RESPONSE },
        element(
          'User',
          {},
          textElement('DisplayName', user.displayName),
          textElement('LegacyDN', user.legacyDn),
          textElement('AutoDiscoverSMTPAddress', user.primarySmtpAddress),
          textElement('DeploymentId', urls.deploymentId),
        ),
        element('Account', {}, textElement('AccountType', 'email'), textElement('Action', 'settings'), protocol('EXCH', urls), protocol('EXPR', urls)),
      ),
    ),
  );
}

/** The Autodiscover error document; `Time` and `Id` are what Exchange stamps for correlating its logs. */
function poxError(now: Date): string {
  return serializeXml(
    element(
      'Autodiscover',
      { xmlns: POX_RESPONSE },
      element(
        'Response',
        {},
        element(
          'Error',
          { Time: now.toISOString().slice(11, 23), Id: randomInt(1, 2 ** 31 - 1) },
          textElement('ErrorCode', 600),
          textElement('Message', 'Invalid Request'),
          element('DebugData'),
        ),
      ),
    ),
  );
}
