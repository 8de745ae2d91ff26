import { NonInviteClientTransaction, UserAgentClient } from 'sip.js/lib/core/index.js';
import type { IncomingResponse, OutgoingRequestDelegate, UserAgentCore } from 'sip.js/lib/core/index.js';
import { SipInvalidRequestError } from './call-facade-errors.js';
import type { SipBody } from './facade-types.js';
import { extraHeaderLines, renderBody } from './message-parts.js';
import { parseRequestTarget, preloadedRoute, quotableDisplayName } from './request-target.js';
import type { NextHop } from './request-target.js';

/** An out-of-dialog non-INVITE request openum originates (an unsolicited NOTIFY, a MESSAGE). */
export interface OutboundRequestOptions {
  /** Method, e.g. `NOTIFY`. INVITE, ACK, CANCEL, BYE, PRACK have their own paths. */
  method: string;
  /** Request-URI (also the To URI unless `to` is given). */
  requestUri: string;
  /** The next hop. */
  via: NextHop;
  from: { uri: string; displayName?: string };
  to?: { uri: string };
  headers?: Record<string, string>;
  body?: SipBody;
}

/** The final answer to an outbound request (408 after Timer F, 503 for a transport error: SIP.js synthesises both). */
export interface OutboundRequestResult {
  statusCode: number;
  reasonPhrase: string;
}

const NOT_HERE = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'PRACK']);

/** Sends one out-of-dialog non-INVITE request through `core` and resolves with its final response. */
export function sendOutboundRequest(core: UserAgentCore, options: OutboundRequestOptions): Promise<OutboundRequestResult> {
  const method = options.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method) || NOT_HERE.has(method)) return Promise.reject(new SipInvalidRequestError(`cannot send ${options.method} as an out-of-dialog request`));
  return new Promise<OutboundRequestResult>((resolve, reject) => {
    const done = (response: IncomingResponse) => resolve({ statusCode: response.message.statusCode ?? 0, reasonPhrase: response.message.reasonPhrase ?? '' });
    const delegate: OutgoingRequestDelegate = { onAccept: done, onReject: done, onRedirect: done };
    try {
      const requestUri = parseRequestTarget(options.requestUri, options.via.address, 'requestUri');
      const toUri = options.to ? parseRequestTarget(options.to.uri, options.via.address, 'to.uri') : requestUri;
      const fromUri = parseRequestTarget(options.from.uri, core.configuration.contact.uri.host, 'from.uri');
      const message = core.makeOutgoingRequestMessage(
        method,
        requestUri,
        fromUri,
        toUri,
        {
          routeSet: preloadedRoute(requestUri, options.via),
          ...(options.from.displayName ? { fromDisplayName: quotableDisplayName(options.from.displayName) } : {}),
        },
        extraHeaderLines(options.headers),
        options.body ? renderBody(options.body) : undefined,
      );
      new UserAgentClient(NonInviteClientTransaction, core, message, delegate);
    } catch (error) {
      reject(error);
    }
  });
}
