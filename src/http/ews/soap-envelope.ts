import { childElement, element, parseXml, serializeXml, XmlParseError } from '../xml/index.js';
import type { XmlElement, XmlNode } from '../xml/index.js';
import { EwsFaultError } from './ews-errors.js';
import { canonicalMicrosoftNamespace, EWS_ERRORS, EWS_MESSAGES, EWS_TYPES, SOAP11, SOAP12 } from './ews-namespaces.js';

/** An EWS request taken out of its SOAP 1.1 envelope. */
export interface IncomingEwsRequest {
  /** `s:Header`, when present (RequestServerVersion, ExchangeImpersonation, …). */
  header: XmlElement | undefined;
  /** The single element of `s:Body`: the operation (`m:FindItem`, `m:PlayOnPhone`, …). */
  operation: XmlElement;
}

/** What openum claims to be in `t:ServerVersionInfo`: the Exchange 2010 SP1 build clients know. */
export const SERVER_VERSION = { MajorVersion: 14, MinorVersion: 1, MajorBuildNumber: 218, MinorBuildNumber: 15, Version: 'Exchange2010_SP1' } as const;

/** Unwraps a SOAP 1.1 request body; throws {@link EwsFaultError} for anything EWS would fault. */
export function parseEwsRequest(body: unknown): IncomingEwsRequest {
  if (typeof body !== 'string') throw new EwsFaultError('ErrorInvalidRequest', 'The request body must be a SOAP 1.1 XML document.');
  let root: XmlElement;
  try {
    root = parseXml(body, { canonicalNamespace: canonicalMicrosoftNamespace });
  } catch (error) {
    if (error instanceof XmlParseError) throw new EwsFaultError('ErrorSchemaValidation', `The request failed schema validation: ${error.message}`, { cause: error });
    throw error;
  }
  if (root.localName === 'Envelope' && root.namespace === SOAP12) {
    throw new EwsFaultError('VersionMismatch', 'Exchange Web Services accepts SOAP 1.1 envelopes only (http://schemas.xmlsoap.org/soap/envelope/).');
  }
  if (root.localName !== 'Envelope' || root.namespace !== SOAP11) {
    throw new EwsFaultError('ErrorSchemaValidation', `The request failed schema validation: the root element is {${root.namespace}}${root.localName}, not a SOAP 1.1 Envelope.`);
  }
  const soapBody = childElement(root, SOAP11, 'Body');
  if (soapBody === undefined) throw new EwsFaultError('ErrorSchemaValidation', 'The request failed schema validation: the SOAP envelope has no Body.');
  if (soapBody.children.length !== 1 || soapBody.children[0] === undefined) {
    throw new EwsFaultError('ErrorSchemaValidation', `The request failed schema validation: the SOAP Body must hold exactly one operation, got ${soapBody.children.length}.`);
  }
  const header = childElement(root, SOAP11, 'Header');
  // openum serves each user their own mailbox only. Quietly ignoring impersonation would act on the
  // caller's mailbox while the client believes it acts on another's, so it is refused outright.
  if (header !== undefined && childElement(header, EWS_TYPES, 'ExchangeImpersonation') !== undefined) {
    throw new EwsFaultError('ErrorImpersonationDenied', 'The account does not have permission to impersonate the requested user.');
  }
  return { header, operation: soapBody.children[0] };
}

/** Wraps an operation's response in a SOAP 1.1 envelope with `t:ServerVersionInfo`, as Exchange does. */
export function serializeEwsResponse(response: XmlNode): string {
  return serializeXml(
    element(
      's:Envelope',
      { 'xmlns:s': SOAP11, 'xmlns:m': EWS_MESSAGES, 'xmlns:t': EWS_TYPES },
      element('s:Header', {}, element('t:ServerVersionInfo', SERVER_VERSION)),
      element('s:Body', {}, response),
    ),
  );
}

/** A SOAP 1.1 fault as Exchange words it: EWS code in the types namespace, detail in the errors namespace. */
export function serializeEwsFault(fault: EwsFaultError): string {
  const soapCode = fault.faultCode === 'VersionMismatch';
  return serializeXml(
    element(
      's:Envelope',
      { 'xmlns:s': SOAP11 },
      element(
        's:Body',
        {},
        element(
          's:Fault',
          {},
          element('faultcode', soapCode ? {} : { 'xmlns:a': EWS_TYPES }, soapCode ? `s:${fault.faultCode}` : `a:${fault.faultCode}`),
          element('faultstring', { 'xml:lang': 'en-US' }, fault.message),
          element(
            'detail',
            {},
            element('e:ResponseCode', { 'xmlns:e': EWS_ERRORS }, fault.faultCode),
            element('e:Message', { 'xmlns:e': EWS_ERRORS }, fault.message),
          ),
        ),
      ),
    ),
  );
}
