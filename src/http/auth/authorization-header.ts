/** What an `Authorization` header offers (RFC 7617 Basic, RFC 6750 Bearer). */
export type PresentedCredentials =
  | { scheme: 'basic'; userName: string; password: string }
  | { scheme: 'bearer'; token: string };

/**
 * Reads an `Authorization` header; undefined when absent, of another scheme, or malformed (a Basic
 * payload without ':'). Basic is decoded as UTF-8 (RFC 7617 §2.1 `charset="UTF-8"`, what clients send).
 */
export function parseAuthorizationHeader(header: string | undefined): PresentedCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (match === null) return undefined;
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === 'bearer') return { scheme: 'bearer', token: value };
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { scheme: 'basic', userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
