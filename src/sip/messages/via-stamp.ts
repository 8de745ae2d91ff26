import { headerName, headerValue, joinMessage, splitHeaderList, splitMessage } from './raw-message.js';
import { parseVia, serializeVia } from './via.js';

/** Where a message came from. */
export interface SourceAddress {
  /** Source IP address (IPv6 without brackets). */
  address: string;
  /** Source port. */
  port: number;
}

/**
 * Stamp the top Via of a received request: `received=` with the source address (RFC 3261 §18.2.1) and
 * `rport=` with the source port when the client asked for it with a bare `rport` (RFC 3581 §4) or when
 * `forceRport` is set. Returns the text unchanged when there is no parsable Via (the request then fails
 * parsing and gets no response, since there is nowhere to route one).
 */
export function stampVia(text: string, source: SourceAddress, forceRport: boolean): string {
  const raw = splitMessage(text);
  if (!raw) return text;
  const index = raw.headerLines.findIndex((line) => headerName(line) === 'via');
  if (index < 0) return text;
  const line = raw.headerLines[index] ?? '';
  const elements = splitHeaderList(headerValue(line));
  const top = elements[0] === undefined ? undefined : parseVia(elements[0]);
  if (!top) return text;
  top.params.set('received', source.address);
  if (top.params.has('rport') || forceRport) top.params.set('rport', String(source.port));
  elements[0] = serializeVia(top);
  raw.headerLines[index] = `Via: ${elements.join(', ')}`;
  return joinMessage(raw);
}
