/** `udp:127.0.0.1:5060` / `tcp:[::1]:5060` / `127.0.0.1:8080` split into parts (already schema-checked). */
export function parseListenAddress(text: string): { protocol?: string; host: string; port: number } {
  const m = /^(?:(udp|tcp|tls):)?(\[[^\]]+\]|[^:]+):(\d+)$/i.exec(text);
  if (!m) throw new RangeError(`not a listen address: ${text}`);
  const host = m[2]!.replace(/^\[|\]$/g, '');
  return m[1] === undefined ? { host, port: Number(m[3]) } : { protocol: m[1].toLowerCase(), host, port: Number(m[3]) };
}
