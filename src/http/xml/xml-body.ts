import type { FastifyInstance } from 'fastify';

/** Largest request body the XML endpoints accept: SOAP requests are a few KiB; audio only ever flows out. */
export const XML_BODY_LIMIT = 256 * 1024;

/**
 * Makes an encapsulated plugin read every body as a string, whatever its Content-Type. SOAP 1.1 says
 * `text/xml`, but clients also send `application/soap+xml`, `application/xml`, a charset or nothing; the
 * protocol layer answers a bad body with its own error format instead of fastify's 415.
 */
export function acceptXmlBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: XML_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });
}
