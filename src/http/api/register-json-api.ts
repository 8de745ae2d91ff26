import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationThrottledError } from '../auth/auth-errors.js';
import { sendThrottled, WWW_AUTHENTICATE_CHALLENGES } from '../auth/http-authenticator.js';
import type { UnifiedMessagingBackend } from '../um-backend.js';
import { ApiError, toApiError } from './api-errors.js';
import { CheckDialBody, ListMessagesQuery, parseWith, PlayOnPhoneBody } from './api-schemas.js';
import { attachmentDisposition, phoneCallToJson, toJsonValue, voiceMessageToJson } from './message-to-json.js';
import { OPENAPI_DOCUMENT } from './openapi.js';

/** Options of {@link registerJsonApi}. */
export interface JsonApiOptions {
  backend: UnifiedMessagingBackend;
  /**
   * The mailbox alias the request's credentials prove, or undefined to answer 401. May throw
   * `AuthenticationThrottledError` to answer 429.
   */
  authenticate: (request: FastifyRequest) => Promise<string | undefined>;
  /**
   * The dialing decision for this user's Play on Phone (spec §2: `authorizeSubjectDial` under the
   * play-on-phone subject), JSON-serialisable; the API returns it as it is (undefined fields as null).
   */
  checkDial: (alias: string, dialString: string) => unknown;
}

/** Where the JSON API lives. */
export const JSON_API_PREFIX = '/api/v1';
const BODY_LIMIT = 16 * 1024;

/**
 * Serves openum's JSON API (docs/api.md) under `/api/v1` in its own encapsulated plugin, with its own
 * error handler (`{ error: { code, message } }`) and authentication hook. `GET /api/v1/openapi.json` is
 * public; everything else needs credentials and only ever reaches the caller's own messages and calls.
 * Call before the app loads its plugins.
 */
export function registerJsonApi(app: FastifyInstance, options: JsonApiOptions): void {
  void app.register(
    async (api) => {
      api.setErrorHandler(async (error, request, reply) => {
        if (error instanceof AuthenticationThrottledError) return sendThrottled(reply, error);
        const failure = toApiError(error);
        if (failure.status >= 500) request.log.error({ err: error }, 'JSON API request failed');
        else request.log.info({ code: failure.apiCode, status: failure.status, reason: failure.message }, 'JSON API request refused');
        return sendError(reply, failure);
      });
      api.setNotFoundHandler(async (request, reply) => sendError(reply, new ApiError(404, 'not-found', `No route ${request.method} ${request.url}.`)));
      api.addHook('onSend', async (_request, reply, payload) => {
        // Voice mail is private: no shared cache may keep it.
        if (!reply.hasHeader('cache-control')) void reply.header('Cache-Control', 'no-store');
        return payload;
      });

      api.get('/openapi.json', async (_request, reply) => reply.code(200).send(OPENAPI_DOCUMENT));

      await api.register(async (scope) => registerAuthenticatedRoutes(scope, options));
    },
    { prefix: JSON_API_PREFIX },
  );
}

async function registerAuthenticatedRoutes(scope: FastifyInstance, { backend, authenticate, checkDial }: JsonApiOptions): Promise<void> {
  // The authenticated mailbox, kept beside the request (as register-ews.ts does) rather than decorated onto it.
  const mailboxes = new WeakMap<FastifyRequest, string>();
  const mailboxOf = (request: FastifyRequest): string => {
    const mailbox = mailboxes.get(request);
    if (mailbox === undefined) throw new ApiError(401, 'unauthorized', 'The request was not authenticated.');
    return mailbox;
  };

  scope.addHook('onRequest', async (request, reply) => {
    const mailbox = await authenticate(request);
    if (mailbox === undefined) {
      void reply.header('WWW-Authenticate', [...WWW_AUTHENTICATE_CHALLENGES]);
      return sendError(reply, new ApiError(401, 'unauthorized', 'Credentials are missing or wrong: use HTTP Basic (mailbox password) or a bearer token.'));
    }
    mailboxes.set(request, mailbox);
    return undefined;
  });

  scope.get('/messages', async (request, reply) => {
    const { offset, limit } = parseWith(ListMessagesQuery, request.query, 'query');
    const messages = await backend.listVoiceMessages(mailboxOf(request), { offset, limit });
    return reply.send({ offset, limit, messages: messages.map((m) => voiceMessageToJson(m, JSON_API_PREFIX)) });
  });

  scope.get<{ Params: { id: string } }>('/messages/:id', async (request, reply) => {
    const message = await backend.getVoiceMessage(mailboxOf(request), request.params.id);
    if (message === undefined) throw itemNotFound();
    return reply.send(voiceMessageToJson(message, JSON_API_PREFIX));
  });

  scope.get<{ Params: { id: string } }>('/messages/:id/audio', async (request, reply) => {
    const audio = await backend.getVoiceMessageAudio(mailboxOf(request), request.params.id);
    if (audio === undefined) throw itemNotFound();
    let size: number;
    try {
      size = (await stat(audio.path)).size;
    } catch (error) {
      // The row outlived its file (purged meanwhile, or lost): the message cannot be played.
      request.log.warn({ err: error, messageId: audio.summary.id }, 'voice message audio file missing');
      throw itemNotFound();
    }
    return reply
      .type(audio.summary.contentType)
      .header('Content-Length', String(size))
      .header('Content-Disposition', attachmentDisposition(audio.summary.attachmentName))
      .send(createReadStream(audio.path));
  });

  scope.post('/play-on-phone', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { messageId, dialString } = parseWith(PlayOnPhoneBody, request.body, 'body');
    const { phoneCallId } = await backend.playOnPhone(mailboxOf(request), messageId, dialString);
    return reply.code(202).header('Location', `${JSON_API_PREFIX}/phone-calls/${encodeURIComponent(phoneCallId)}`).send({ phoneCallId });
  });

  scope.get<{ Params: { id: string } }>('/phone-calls/:id', async (request, reply) => {
    const info = backend.getPhoneCall(mailboxOf(request), request.params.id);
    if (info === undefined) throw phoneCallNotFound();
    return reply.send(phoneCallToJson(request.params.id, info));
  });

  scope.delete<{ Params: { id: string } }>('/phone-calls/:id', async (request, reply) => {
    if (!(await backend.disconnectPhoneCall(mailboxOf(request), request.params.id))) throw phoneCallNotFound();
    return reply.code(204).send();
  });

  scope.post('/check-dial', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { dialString } = parseWith(CheckDialBody, request.body, 'body');
    return reply.send(toJsonValue(checkDial(mailboxOf(request), dialString)));
  });
}

function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send({ error: { code: error.apiCode, message: error.message } });
}

function itemNotFound(): ApiError {
  return new ApiError(404, 'item-not-found', 'The specified object was not found in the store.');
}

function phoneCallNotFound(): ApiError {
  return new ApiError(404, 'invalid-phone-call-id', 'The phone call ID is invalid.');
}
