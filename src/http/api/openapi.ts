// The OpenAPI 3.1 description of the JSON API, written by hand beside the routes it describes
// (register-json-api.ts); a test checks that every registered route appears here.

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, ref: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const idParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const UNAUTHORIZED = error('No credentials, or wrong ones. Carries `WWW-Authenticate: Basic` and `Bearer` challenges.');
const THROTTLED = {
  description: 'Too many failed sign-in attempts from this client or for this user name.',
  headers: { 'Retry-After': { description: 'Seconds until the next attempt may succeed.', schema: { type: 'integer' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const BAD_REQUEST = error('The body or query breaks the schema (code `bad-request`).');
const NOT_FOUND = error('No such item for this user (code `item-not-found`): another user\'s ids are not found either.');
const CALL_NOT_FOUND = error('No such call for this user (code `invalid-phone-call-id`).');
const AUTHENTICATED = { 401: UNAUTHORIZED, 429: THROTTLED };

/** The OpenAPI 3.1 document served at `GET /api/v1/openapi.json`. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'openum JSON API',
    version: '1.0.0',
    description: 'Voice messages and Play on Phone for the signed-in mailbox user. See docs/api.md.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ basic: [] }, { bearer: [] }],
  paths: {
    '/openapi.json': {
      get: { operationId: 'getOpenApi', summary: 'This document.', security: [], responses: { 200: { description: 'The OpenAPI document.', content: { 'application/json': {} } } } },
    },
    '/messages': {
      get: {
        operationId: 'listMessages',
        summary: 'The user\'s voice messages (not deleted), newest first.',
        parameters: [
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        ],
        responses: { 200: json('One page of messages.', 'MessageList'), 400: BAD_REQUEST, ...AUTHENTICATED },
      },
    },
    '/messages/{id}': {
      get: {
        operationId: 'getMessage',
        summary: 'One of the user\'s voice messages.',
        parameters: [idParameter('id', 'The message id (UUID).')],
        responses: { 200: json('The message.', 'VoiceMessage'), 404: NOT_FOUND, ...AUTHENTICATED },
      },
    },
    '/messages/{id}/audio': {
      get: {
        operationId: 'getMessageAudio',
        summary: 'The audio file of one of the user\'s messages, in its storage format.',
        parameters: [idParameter('id', 'The message id (UUID).')],
        responses: {
          200: {
            description: 'The audio, with the message\'s content type (audio/wav, audio/mpeg…) and `Content-Disposition: attachment`.',
            content: { 'audio/*': { schema: { type: 'string', contentMediaType: 'audio/*' } } },
          },
          404: NOT_FOUND,
          ...AUTHENTICATED,
        },
      },
    },
    '/play-on-phone': {
      post: {
        operationId: 'playOnPhone',
        summary: 'Calls a phone and plays one of the user\'s messages on it (spec §8).',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PlayOnPhoneRequest' } } } },
        responses: {
          202: {
            description: 'The call is being placed; follow it at `Location`.',
            headers: { Location: { description: '`/api/v1/phone-calls/{phoneCallId}`', schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PlayOnPhoneResponse' } } },
          },
          400: BAD_REQUEST,
          403: error('Play on Phone is not allowed for this user (code `user-not-um-enabled`).'),
          404: NOT_FOUND,
          409: error('The server cannot place the call now: one is already in progress, no gateway, no dial plan (codes `request-failed`, `dial-plan-not-found`).'),
          422: error('The dial string is refused (codes `invalid-phone-number`: not allowed by the dialing rules; `phone-number-not-dialable`: malformed; `invalid-sip-uri`).'),
          ...AUTHENTICATED,
        },
      },
    },
    '/phone-calls/{id}': {
      get: {
        operationId: 'getPhoneCall',
        summary: 'State of one of the user\'s Play on Phone calls (EWS GetPhoneCallInformation).',
        parameters: [idParameter('id', 'The phoneCallId returned by play-on-phone.')],
        responses: { 200: json('The call.', 'PhoneCall'), 404: CALL_NOT_FOUND, ...AUTHENTICATED },
      },
      delete: {
        operationId: 'disconnectPhoneCall',
        summary: 'Ends one of the user\'s Play on Phone calls (EWS DisconnectPhoneCall).',
        parameters: [idParameter('id', 'The phoneCallId returned by play-on-phone.')],
        responses: { 204: { description: 'Ended (or had already ended).' }, 404: CALL_NOT_FOUND, ...AUTHENTICATED },
      },
    },
    '/check-dial': {
      post: {
        operationId: 'checkDial',
        summary: 'How openum would dial this string for the user\'s Play on Phone, without dialling (as `openum check-dial --scenario play-on-phone`).',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckDialRequest' } } } },
        responses: { 200: json('The dialing decision.', 'DialDecision'), 400: BAD_REQUEST, ...AUTHENTICATED },
      },
    },
  },
  components: {
    securitySchemes: {
      basic: { type: 'http', scheme: 'basic', description: 'User: the mailbox alias, DOMAIN\\alias or its SMTP address; password: set with `openum password set`.' },
      bearer: { type: 'http', scheme: 'bearer', description: 'A token from `openum token create` (`openum_…`).' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                enum: [
                  'bad-request', 'unauthorized', 'too-many-attempts', 'not-found', 'unsupported-media-type', 'payload-too-large', 'internal-error',
                  'item-not-found', 'invalid-phone-call-id', 'user-not-um-enabled', 'invalid-phone-number', 'phone-number-not-dialable', 'invalid-sip-uri',
                  'dial-plan-not-found', 'request-failed',
                ],
              },
              message: { type: 'string' },
            },
          },
        },
      },
      VoiceMessage: {
        type: 'object',
        required: ['id', 'receivedAt', 'durationMs', 'durationSeconds', 'caller', 'callerName', 'read', 'subject', 'sizeBytes', 'codec', 'contentType', 'attachmentName', 'audioUrl'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          receivedAt: { type: 'string', format: 'date-time' },
          durationMs: { type: 'integer' },
          durationSeconds: { type: 'integer' },
          caller: { type: ['string', 'null'], description: 'E.164 number or SIP URI; null when anonymous.' },
          callerName: { type: ['string', 'null'] },
          read: { type: 'boolean' },
          subject: { type: 'string' },
          sizeBytes: { type: 'integer' },
          codec: { type: 'string', enum: ['G711', 'Gsm', 'Wma', 'Mp3'] },
          contentType: { type: 'string' },
          attachmentName: { type: 'string' },
          audioUrl: { type: 'string' },
        },
      },
      MessageList: {
        type: 'object',
        required: ['offset', 'limit', 'messages'],
        properties: { offset: { type: 'integer' }, limit: { type: 'integer' }, messages: { type: 'array', items: { $ref: '#/components/schemas/VoiceMessage' } } },
      },
      PlayOnPhoneRequest: {
        type: 'object',
        required: ['messageId', 'dialString'],
        properties: { messageId: { type: 'string' }, dialString: { type: 'string', description: 'A number or SIP URI as the user would type it.' } },
      },
      PlayOnPhoneResponse: { type: 'object', required: ['phoneCallId'], properties: { phoneCallId: { type: 'string' } } },
      PhoneCall: {
        type: 'object',
        required: ['phoneCallId', 'state', 'failureCause', 'sipResponseCode', 'sipResponseText'],
        properties: {
          phoneCallId: { type: 'string' },
          state: { type: 'string', enum: ['Idle', 'Connecting', 'Alerted', 'Connected', 'Disconnected'] },
          failureCause: { type: 'string', enum: ['None', 'UserBusy', 'NoAnswer', 'Unavailable', 'Other'] },
          sipResponseCode: { type: ['integer', 'null'] },
          sipResponseText: { type: ['string', 'null'] },
        },
      },
      CheckDialRequest: { type: 'object', required: ['dialString'], properties: { dialString: { type: 'string' } } },
      DialDecision: {
        type: 'object',
        description: 'The decision of the dialing engine (fields as `openum check-dial --json` prints them).',
        required: ['dialString', 'allowed'],
        properties: {
          dialString: { type: 'string' },
          allowed: { type: 'boolean' },
          category: { type: ['string', 'null'] },
          prefixed: { type: ['string', 'null'] },
          group: { type: ['string', 'null'] },
          entry: { type: ['object', 'null'] },
          dialed: { type: ['string', 'null'] },
          reason: { type: ['string', 'null'] },
          trace: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
} as const;
