import type { Body, IncomingMessage } from 'sip.js/lib/core/index.js';
import { headerName, headerValues, splitMessage } from '../messages/raw-message.js';
import { SipInvalidRequestError } from './call-facade-errors.js';
import type { SipBody } from './facade-types.js';

const TOKEN = /^[A-Za-z0-9!%*_+`'~.-]+$/;

/**
 * Every value of a header, read from the message text so that compact forms (`f`, `i`, `m`, …) and any
 * case match; one entry per header line, comma-separated values left whole.
 */
export function headerOf(message: IncomingMessage, name: string): string[] {
  const raw = splitMessage(message.data);
  if (!raw) return [];
  return headerValues(raw, headerName(`${name.trim()}:`));
}

/** The body with its Content-Type (parameters kept), or `undefined` for an empty body. */
export function bodyOf(message: IncomingMessage): SipBody | undefined {
  if (!message.body) return undefined;
  return { contentType: message.getHeader('content-type') ?? 'application/octet-stream', content: message.body };
}

/** The SDP of a message, or `undefined` when it carries none. */
export function sdpOf(message: IncomingMessage): string | undefined {
  const body = bodyOf(message);
  if (!body) return undefined;
  return body.contentType.split(';')[0]?.trim().toLowerCase() === 'application/sdp' ? body.content : undefined;
}

/** An SDP body as the SIP.js core wants it (disposition `session` drives its offer/answer state). */
export function sessionBody(sdp: string): Body {
  return { contentDisposition: 'session', contentType: 'application/sdp', content: sdp };
}

/** Any other body; `render` keeps it out of the core's offer/answer state. */
export function renderBody(body: SipBody): Body {
  return { contentDisposition: 'render', contentType: body.contentType, content: body.content };
}

/** Header lines from the application's map; refuses names that are not tokens and CR/LF in values (header injection). */
export function extraHeaderLines(headers: Readonly<Record<string, string>> | undefined): string[] {
  if (!headers) return [];
  return Object.entries(headers).map(([name, value]) => {
    if (!TOKEN.test(name)) throw new SipInvalidRequestError(`bad header name ${JSON.stringify(name)}`);
    if (/[\r\n]/.test(value)) throw new SipInvalidRequestError(`header ${name} contains CR or LF`);
    return `${name}: ${value}`;
  });
}
