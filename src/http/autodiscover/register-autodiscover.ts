import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeAllSpellings } from '../route-spellings.js';
import type { UnifiedMessagingBackend } from '../um-backend.js';
import { acceptXmlBodies } from '../xml/index.js';
import { answerPoxRequest } from './pox-autodiscover.js';
import { answerSoapAutodiscover } from './soap-autodiscover.js';

/** Options of {@link registerAutodiscover}. */
export interface AutodiscoverOptions {
  backend: UnifiedMessagingBackend;
  /**
   * When given, requests must authenticate (as Exchange requires); the alias it returns is not otherwise
   * used, since Autodiscover answers for any UM user's address. Undefined answers 401.
   */
  authenticate?: (request: FastifyRequest) => Promise<string | undefined>;
}

/** POX endpoint (Outlook, Lync, Lync Phone Edition). */
export const AUTODISCOVER_POX_PATH = '/Autodiscover/Autodiscover.xml';
/** SOAP endpoint (EWS Managed API and its ports). */
export const AUTODISCOVER_SOAP_PATH = '/Autodiscover/Autodiscover.svc';
const XML = 'text/xml; charset=utf-8';

/**
 * Serves Autodiscover (spec §8.2) in its own encapsulated plugin: POX `autodiscover.xml`, and the
 * GetUserSettings subset of SOAP `autodiscover.svc`. Call before the app loads its plugins.
 */
export function registerAutodiscover(app: FastifyInstance, options: AutodiscoverOptions): void {
  void app.register(async (scope) => {
    acceptXmlBodies(scope);

    // The EWS Managed API probes a host with GET autodiscover.xml and reads these headers from whatever
    // comes back (a 401 included) to learn that the SOAP endpoint exists, as Exchange advertises it.
    scope.addHook('onRequest', async (_request, reply) => {
      void reply.header('X-SOAP-Enabled', 'True');
    });
    const { authenticate } = options;
    if (authenticate !== undefined) {
      scope.addHook('onRequest', async (request, reply) => {
        if ((await authenticate(request)) === undefined) return reply.code(401).header('WWW-Authenticate', 'Basic realm="openum"').send();
        return undefined;
      });
    }

    scope.setErrorHandler(async (error, request, reply) => {
      // Body too large or unreadable: Autodiscover's answer to a bad request is the 600 document.
      request.log.info({ err: error }, 'Autodiscover request rejected');
      return reply.code(200).type(XML).send(answerPoxRequest(undefined, options.backend).xml);
    });

    const pox = async (request: FastifyRequest, reply: FastifyReply) => {
      const answer = answerPoxRequest(request.method === 'POST' ? request.body : undefined, options.backend);
      request.log.info({ outcome: answer.outcome, emailAddress: answer.emailAddress }, 'Autodiscover POX request');
      return reply.code(200).type(XML).send(answer.xml);
    };
    for (const path of [AUTODISCOVER_POX_PATH, '/AutoDiscover/AutoDiscover.xml']) {
      routeAllSpellings(scope, 'POST', path, pox);
      routeAllSpellings(scope, 'GET', path, pox);
    }

    const soap = async (request: FastifyRequest, reply: FastifyReply) => {
      const answer = answerSoapAutodiscover(request.body, options.backend);
      return reply.code(answer.status).type(answer.contentType).send(answer.xml);
    };
    for (const path of [AUTODISCOVER_SOAP_PATH, '/AutoDiscover/AutoDiscover.svc']) routeAllSpellings(scope, 'POST', path, soap);
  });
}
