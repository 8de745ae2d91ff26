/** POX request namespace (spec §8.2). Note http, not https. */
export const POX_REQUEST = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
/** POX response root namespace. */
export const POX_RESPONSE = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
/** POX inner `Response` namespace for the Outlook provider, the only AcceptableResponseSchema served. */
export const POX_OUTLOOK_RESPONSE = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
/** SOAP Autodiscover (autodiscover.svc) namespace. */
export const SOAP_AUTODISCOVER = 'http://schemas.microsoft.com/exchange/2010/Autodiscover';
/** WS-Addressing, for the SOAP Autodiscover `a:Action` header. */
export const WS_ADDRESSING = 'http://www.w3.org/2005/08/addressing';
/** XML Schema instance, for `i:type` and `i:nil`. */
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** SOAP 1.1 envelope. */
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
/** SOAP 1.2 envelope (WCF clients of autodiscover.svc may use it). */
export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
