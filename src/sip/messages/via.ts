/** The parts of one Via header element that routing and transaction matching need (RFC 3261 §20.42). */
export interface ViaHeader {
  /** Transport token, upper case: UDP, TCP, TLS, … */
  transport: string;
  /** sent-by host (IPv6 without brackets). */
  host: string;
  /** sent-by port, if present. */
  port: number | undefined;
  /** Via parameters in order; a parameter without value maps to ''. */
  params: Map<string, string>;
}

const VIA_RE = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9-]+)\s+(\[[0-9A-Fa-f:.]+\]|[^;:\s]+)(?:\s*:\s*(\d{1,5}))?\s*((?:;.*)?)$/;

/** Parse one Via element (not a comma-separated list); `undefined` when it is not a Via. */
export function parseVia(value: string): ViaHeader | undefined {
  const match = VIA_RE.exec(value.trim());
  if (!match) return undefined;
  const [, transport = '', rawHost = '', rawPort, rawParams = ''] = match;
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const params = new Map<string, string>();
  for (const part of rawParams.split(';')) {
    const trimmed = part.trim();
    if (trimmed.length === 0) continue;
    const eq = trimmed.indexOf('=');
    const name = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    params.set(name, eq < 0 ? '' : trimmed.slice(eq + 1).trim());
  }
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { transport: transport.toUpperCase(), host, port, params };
}

/** Serialize a Via element back to text. */
export function serializeVia(via: ViaHeader): string {
  const host = via.host.includes(':') ? `[${via.host}]` : via.host;
  let text = `SIP/2.0/${via.transport} ${host}${via.port === undefined ? '' : `:${via.port}`}`;
  for (const [name, value] of via.params) text += value === '' ? `;${name}` : `;${name}=${value}`;
  return text;
}

/** The sent-by of a Via as `host:port` text, used in transaction keys (RFC 3261 §17.2.3 rule 2). */
export function sentBy(via: ViaHeader): string {
  return `${via.host}:${via.port ?? ''}`;
}
