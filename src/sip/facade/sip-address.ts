import type { NameAddrHeader, URI } from 'sip.js/lib/core/index.js';
import { splitHeaderList } from '../messages/raw-message.js';
import { SipAddressParseError } from './call-facade-errors.js';
import type { SipAddress } from './facade-types.js';

/**
 * A {@link SipAddress} read from a header value, with the header's own parameters: `tag` on From/To,
 * `reason` and `counter` on Diversion (RFC 5806), `index` on History-Info (RFC 7044).
 */
export interface SipNameAddr extends SipAddress {
  /** Header parameters after the name-addr, lower-case names; flags map to ''. */
  headerParams: Readonly<Record<string, string>>;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)$/;
const PORT = /^\d{1,5}$/;
const TEL_NUMBER = /^[0-9A-Fa-f*#+().\-%]+$/;

/** `%xx` escapes decoded; text left as is when it is not valid escaping. */
function unescape(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `;a=b;c` → `{ a: 'b', c: '' }`, names lower-cased, quoted values unquoted. */
function parseParams(text: string, got: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of splitParams(text)) {
    const trimmed = part.trim();
    if (trimmed.length === 0) continue;
    const eq = trimmed.indexOf('=');
    const name = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    if (!/^[a-z0-9!%*_+`'~.-]+$/.test(name)) throw new SipAddressParseError(got, `bad parameter name ${JSON.stringify(name)}`);
    let value = eq < 0 ? '' : trimmed.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params[name] = value;
  }
  return params;
}

/** Split on `;` outside quoted strings. */
function splitParams(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ';' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Parse a bare URI (`sip:`, `sips:` or `tel:`), as in a Request-URI or between `<` and `>`
 * (RFC 3261 §19.1.1, RFC 3966). Throws {@link SipAddressParseError}.
 */
export function parseUri(text: string): SipAddress {
  const uri = text.trim();
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new SipAddressParseError(text, 'URI without a scheme');
  const rest = uri.slice(scheme.length + 1);
  if (/\s/.test(rest)) throw new SipAddressParseError(text, 'white space inside a URI');
  if (scheme === 'tel') {
    const [number = '', ...paramParts] = splitParams(rest);
    if (!TEL_NUMBER.test(number)) throw new SipAddressParseError(text, 'bad tel: number');
    return { scheme, user: unescape(number), host: '', params: parseParams(paramParts.join(';'), text), uri };
  }
  if (scheme !== 'sip' && scheme !== 'sips') throw new SipAddressParseError(text, `unsupported URI scheme ${scheme}`);
  // The user part may itself contain ';' and '?' (RFC 3261 user-unreserved), the host part never '@'.
  const at = rest.lastIndexOf('@');
  const userinfo = at < 0 ? '' : rest.slice(0, at);
  let hostpart = at < 0 ? rest : rest.slice(at + 1);
  const question = hostpart.indexOf('?');
  if (question >= 0) hostpart = hostpart.slice(0, question);
  const [hostport = '', ...paramParts] = splitParams(hostpart);
  const ipv6 = /^(\[[^\]]*\])(?::(.*))?$/.exec(hostport);
  const host = ipv6 ? (ipv6[1] ?? '') : (hostport.split(':')[0] ?? '');
  const port = ipv6 ? ipv6[2] : hostport.includes(':') ? hostport.slice(hostport.indexOf(':') + 1) : undefined;
  if (!HOST.test(host)) throw new SipAddressParseError(text, 'bad host');
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) throw new SipAddressParseError(text, 'bad port');
  const user = userinfo.split(':')[0] ?? '';
  return { scheme, user: unescape(user), host: host.toLowerCase(), params: parseParams(paramParts.join(';'), text), uri };
}

/** The display name before `<`: a quoted string (escapes undone) or tokens; `undefined` when empty. */
function parseDisplayName(text: string, got: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  if (trimmed.startsWith('"')) {
    if (trimmed.length < 2 || !trimmed.endsWith('"')) throw new SipAddressParseError(got, 'unterminated quoted display name');
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (trimmed.includes('"')) throw new SipAddressParseError(got, 'stray quote in display name');
  return trimmed.replace(/\s+/g, ' ');
}

/** Index of the first `<` outside a quoted string, or -1. */
function openingAngle(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) return i;
  }
  return -1;
}

/**
 * Parse one name-addr or addr-spec with its header parameters, e.g. `"Kim" <sip:kim@contoso.com>;tag=1`
 * or `<sip:kim@contoso.com>;reason=no-answer`. Without angle brackets every `;` parameter belongs to the
 * header, not to the URI (RFC 3261 §20). Throws {@link SipAddressParseError}.
 */
export function parseAddress(value: string): SipNameAddr {
  const open = openingAngle(value);
  if (open < 0) {
    const [uriText = '', ...headerParts] = splitParams(value.trim());
    return { ...parseUri(uriText), headerParams: parseParams(headerParts.join(';'), value) };
  }
  const close = value.indexOf('>', open);
  if (close < 0) throw new SipAddressParseError(value, 'missing ">"');
  const displayName = parseDisplayName(value.slice(0, open), value);
  const after = value.slice(close + 1).trim();
  if (after.length > 0 && !after.startsWith(';')) throw new SipAddressParseError(value, 'text after ">" that is not a parameter');
  const address: SipNameAddr = { ...parseUri(value.slice(open + 1, close)), headerParams: parseParams(after.slice(1), value) };
  if (displayName !== undefined) address.displayName = displayName;
  return address;
}

/**
 * Every name-addr of a header value, split on the commas between them (not those inside quotes or `<…>`),
 * e.g. `History-Info: <sip:a@b>;index=1, <sip:c@d>;index=1.1` → two entries. Entries that do not parse
 * (or use schemes other than sip/sips/tel) are left out, so one bad entry cannot hide the others.
 */
export function parseAddressHeader(value: string): SipNameAddr[] {
  const addresses: SipNameAddr[] = [];
  for (const element of splitHeaderList(value)) {
    try {
      addresses.push(parseAddress(element));
    } catch (error) {
      if (!(error instanceof SipAddressParseError)) throw error;
    }
  }
  return addresses;
}

/** A {@link SipAddress} from a URI the SIP.js parser produced (Request-URI, after tel: rewriting). */
export function addressFromUri(uri: URI, displayName?: string): SipAddress {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(uri.parameters)) params[name.toLowerCase()] = value ?? '';
  const address: SipAddress = { scheme: uri.scheme.toLowerCase(), user: uri.user ?? '', host: uri.host.toLowerCase(), params, uri: uri.toString() };
  if (displayName !== undefined && displayName.length > 0) address.displayName = displayName;
  return address;
}

/** A {@link SipNameAddr} from a From/To header the SIP.js parser produced. */
export function addressFromNameAddr(header: NameAddrHeader): SipNameAddr {
  const headerParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(header.parameters)) headerParams[name.toLowerCase()] = value ?? '';
  return { ...addressFromUri(header.uri, header.displayName), headerParams };
}

/** The Request-URI of a parsed request (the listener refuses requests without one before the core sees them). */
export function requireUri(uri: URI | undefined): URI {
  if (!uri) throw new SipAddressParseError('', 'request without a Request-URI');
  return uri;
}
