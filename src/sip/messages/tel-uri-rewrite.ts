import { headerName, headerValue, joinMessage, splitMessage } from './raw-message.js';

/** Headers whose URIs the SIP.js grammar insists be sip:/sips: (name-addr / addr-spec). */
const REWRITTEN_HEADERS = new Set(['from', 'to', 'contact']);

const ANGLE_TEL = /<\s*tel:([^>]*)>/gi;
const BARE_TEL = /^tel:([^;,\s>]+)(.*)$/i;
const REQUEST_LINE_TEL = /^(\S+) tel:(\S+) (SIP\/2\.0)$/i;

/** `tel:NUMBER[;params]` as `sip:NUMBER[;params]@host;user=phone` (RFC 3261 §19.1.6). */
function telToSip(telBody: string, host: string): string {
  return `sip:${telBody.trim()}@${host};user=phone`;
}

/**
 * Rewrite tel: URIs in the Request-URI, From, To and Contact into `sip:…;user=phone` before the SIP.js
 * parser sees them: its grammar drops a message with `From: <tel:…>` silently, and carriers send those.
 * A bare `From: tel:+1…;tag=x` becomes name-addr so the tag stays a header parameter.
 */
export function rewriteTelUris(text: string, host: string): string {
  if (!/tel:/i.test(text)) return text;
  const raw = splitMessage(text);
  if (!raw) return text;
  let changed = false;
  const requestLine = REQUEST_LINE_TEL.exec(raw.startLine);
  if (requestLine) {
    raw.startLine = `${requestLine[1]} ${telToSip(requestLine[2] ?? '', host)} ${requestLine[3]}`;
    changed = true;
  }
  raw.headerLines = raw.headerLines.map((line) => {
    const name = headerName(line);
    if (!REWRITTEN_HEADERS.has(name)) return line;
    const value = headerValue(line);
    let rewritten = value.replace(ANGLE_TEL, (_m, body: string) => `<${telToSip(body, host)}>`);
    const bare = BARE_TEL.exec(rewritten);
    if (bare) rewritten = `<${telToSip(bare[1] ?? '', host)}>${bare[2] ?? ''}`;
    if (rewritten === value) return line;
    changed = true;
    return `${line.slice(0, line.indexOf(':'))}: ${rewritten}`;
  });
  return changed ? joinMessage(raw) : text;
}
