/** SOAP 1.1 envelope namespace; EWS (Exchange 2010) speaks only this version. */
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.2 envelope namespace, recognised only to answer it with a VersionMismatch fault. */
export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
/** EWS messages namespace (`m:`), spec §8.1. */
export const EWS_MESSAGES = 'http://schemas.microsoft.com/exchange/services/2006/messages';
/** EWS types namespace (`t:`), spec §8.1. */
export const EWS_TYPES = 'http://schemas.microsoft.com/exchange/services/2006/types';
/** EWS errors namespace, used in SOAP fault details. */
export const EWS_ERRORS = 'http://schemas.microsoft.com/exchange/services/2006/errors';

/**
 * Microsoft's published EWS examples misprint the namespaces as `https://schemas.microsoft.com/…`, and
 * clients built from them send exactly that. Such a URI can only mean the http one, so it is read as it.
 */
export function canonicalMicrosoftNamespace(uri: string): string {
  return uri.startsWith('https://schemas.microsoft.com/') ? `http://${uri.slice('https://'.length)}` : uri;
}
