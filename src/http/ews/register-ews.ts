import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeAllSpellings } from '../route-spellings.js';
import type { UnifiedMessagingBackend } from '../um-backend.js';
import { acceptXmlBodies } from '../xml/index.js';
import { EwsFaultError } from './ews-errors.js';
import { EWS_MESSAGES } from './ews-namespaces.js';
import { EWS_OPERATIONS } from './ews-operations.js';
import { parseEwsRequest, serializeEwsFault, serializeEwsResponse } from './soap-envelope.js';

/** Options of {@link registerEws}. */
export interface EwsOptions {
  backend: UnifiedMessagingBackend;
  /** The mailbox alias the request's credentials prove, or undefined to answer 401. */
  authenticate: (request: FastifyRequest) => Promise<string | undefined>;
}

/** The path EWS clients are configured with (Autodiscover's EwsUrl). */
export const EWS_PATH = '/EWS/Exchange.asmx';
const CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * Serves the EWS SOAP subset of spec §8.1 at `POST /EWS/Exchange.asmx`, inside its own encapsulated
 * plugin so its body parser and SOAP-fault error handler touch no other route. Routes exist once the
 * app has loaded its plugins (`await app.ready()` or `listen()`), which must come after this call.
 */
export function registerEws(app: FastifyInstance, options: EwsOptions): void {
  void app.register(async (scope) => {
    acceptXmlBodies(scope);
    // The authenticated mailbox, kept beside the request rather than decorated onto it, so no type
    // augmentation of FastifyRequest leaks out of this plugin.
    const mailboxes = new WeakMap<FastifyRequest, string>();

    // Before the body is read: an unauthenticated client must not get its XML parsed, let alone answered.
    scope.addHook('onRequest', async (request, reply) => {
      const mailbox = await options.authenticate(request);
      if (mailbox === undefined) {
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="openum"').send();
      }
      mailboxes.set(request, mailbox);
      return undefined;
    });

    scope.setErrorHandler(async (error, request, reply) => {
      const fault = error instanceof EwsFaultError ? error : toFault(error);
      if (fault.faultCode === 'ErrorInternalServerError') request.log.error({ err: error }, 'EWS request failed');
      else request.log.info({ code: fault.faultCode, reason: fault.message }, 'EWS request refused with a SOAP fault');
      return reply.code(500).type(CONTENT_TYPE).send(serializeEwsFault(fault));
    });

    routeAllSpellings(scope, 'POST', EWS_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
      const mailbox = mailboxes.get(request);
      if (mailbox === undefined) throw new EwsFaultError('ErrorInternalServerError', 'The request was not authenticated.');
      const { operation } = parseEwsRequest(request.body);
      const handler = operation.namespace === EWS_MESSAGES ? EWS_OPERATIONS.get(operation.localName) : undefined;
      if (handler === undefined) {
        throw new EwsFaultError('ErrorInvalidRequest', `The operation {${operation.namespace}}${operation.localName} is not supported by openum.`);
      }
      const response = await handler(operation, { mailbox, backend: options.backend, log: request.log });
      return reply.code(200).type(CONTENT_TYPE).send(serializeEwsResponse(response));
    });
  });
}

/** Errors fastify raises before the handler runs (body too large, aborted upload…) become faults too. */
function toFault(error: unknown): EwsFaultError {
  const statusCode = typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : 500;
  if (statusCode >= 400 && statusCode < 500) {
    const message = error instanceof Error ? error.message : 'The request is invalid.';
    return new EwsFaultError('ErrorInvalidRequest', message, { cause: error });
  }
  return new EwsFaultError('ErrorInternalServerError', 'An internal server error occurred. The operation failed.', { cause: error });
}
