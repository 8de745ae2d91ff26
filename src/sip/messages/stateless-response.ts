import { randomBytes } from 'node:crypto';
import { headerName, splitMessage } from './raw-message.js';

/** Options of {@link buildStatelessResponse}. */
export interface StatelessResponseOptions {
  /** Status code, 100-699. */
  statusCode: number;
  /** Reason phrase. */
  reasonPhrase: string;
  /** Extra header lines, e.g. `Allow: INVITE, ACK`. */
  extraHeaders?: readonly string[];
}

const COPIED = new Set(['via', 'from', 'to', 'call-id', 'cseq']);
const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) \S+ SIP\/2\.0$/;

/**
 * Build a response from the text of a request the parser could not (or must not) handle, copying Via,
 * From, To, Call-ID and CSeq as RFC 3261 §8.2.6.2 asks. `undefined` when no response is possible: not a
 * request, an ACK (never answered), or no Via to route the response by.
 */
export function buildStatelessResponse(text: string, options: StatelessResponseOptions): string | undefined {
  const raw = splitMessage(text);
  if (!raw) return undefined;
  const requestLine = REQUEST_LINE.exec(raw.startLine);
  if (!requestLine || requestLine[1]?.toUpperCase() === 'ACK') return undefined;
  const copied = raw.headerLines.filter((line) => COPIED.has(headerName(line)));
  if (!copied.some((line) => headerName(line) === 'via')) return undefined;
  const lines = copied.map((line) => {
    if (headerName(line) !== 'to' || options.statusCode === 100 || /;\s*tag\s*=/i.test(line)) return line;
    return `${line};tag=${randomBytes(5).toString('hex')}`;
  });
  const reason = options.reasonPhrase.replace(/[\r\n]/g, ' ');
  return [`SIP/2.0 ${options.statusCode} ${reason}`, ...lines, ...(options.extraHeaders ?? []), 'Content-Length: 0', '', ''].join('\r\n');
}
