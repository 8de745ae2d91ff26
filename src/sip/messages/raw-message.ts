/**
 * Text-level view of a SIP message, used before (and instead of) the SIP.js parser: the transport must
 * stamp the Via, rewrite tel: URIs and build 400s for messages the parser rejects.
 */
export interface RawMessage {
  /** Request-Line or Status-Line, without CRLF. */
  startLine: string;
  /** Header lines, folding already undone (RFC 3261 §7.3.1). */
  headerLines: string[];
  /** Everything after the empty line, untouched. */
  body: string;
}

/** RFC 3261 §7.3.3 compact header names, plus the common RFC 3265/3515 ones. */
const COMPACT_NAMES: Readonly<Record<string, string>> = {
  v: 'via', f: 'from', t: 'to', m: 'contact', i: 'call-id', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events',
};

/** Split a message into start line, unfolded header lines and body; `undefined` if there is no CRLF at all. */
export function splitMessage(raw: string): RawMessage | undefined {
  const firstEnd = raw.indexOf('\r\n');
  if (firstEnd < 0) return undefined;
  let headEnd = raw.indexOf('\r\n\r\n');
  let body = '';
  if (headEnd < 0) {
    headEnd = raw.length;
  } else {
    body = raw.slice(headEnd + 4);
  }
  const startLine = raw.slice(0, firstEnd);
  const head = raw.slice(firstEnd + 2, headEnd).replace(/\r\n[ \t]+/g, ' ');
  const headerLines = head.length === 0 ? [] : head.split('\r\n');
  return { startLine, headerLines, body };
}

/** Reassemble a {@link RawMessage} into wire text. */
export function joinMessage(message: RawMessage): string {
  const head = [message.startLine, ...message.headerLines].join('\r\n');
  return `${head}\r\n\r\n${message.body}`;
}

/** Canonical lower-case header name of a header line (compact forms expanded); '' if the line has no colon. */
export function headerName(line: string): string {
  const colon = line.indexOf(':');
  if (colon <= 0) return '';
  const name = line.slice(0, colon).trim().toLowerCase();
  return COMPACT_NAMES[name] ?? name;
}

/** Value of a header line, trimmed. */
export function headerValue(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? '' : line.slice(colon + 1).trim();
}

/** Every value of header `name` (canonical lower-case), one entry per header line. */
export function headerValues(message: RawMessage, name: string): string[] {
  return message.headerLines.filter((line) => headerName(line) === name).map(headerValue);
}

/** First value of header `name`, or `undefined`. */
export function firstHeaderValue(message: RawMessage, name: string): string | undefined {
  const line = message.headerLines.find((l) => headerName(l) === name);
  return line === undefined ? undefined : headerValue(line);
}

/** Split a comma-separated header value into its elements, ignoring commas inside quotes and `<…>`. */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
