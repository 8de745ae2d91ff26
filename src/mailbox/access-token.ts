import { createHash, randomBytes } from 'node:crypto';

/** Every openum API token starts with this, so that a leaked one is recognisable (secret scanners). */
export const ACCESS_TOKEN_PREFIX = 'openum_';

const TOKEN_BYTES = 32;
// 32 bytes in base64url without padding are 43 characters.
const TOKEN_PATTERN = /^openum_[A-Za-z0-9_-]{43}$/;

/** A new token: 32 random bytes as `openum_<base64url>`. Shown once; only its {@link accessTokenHash} is stored. */
export function generateAccessToken(): string {
  return `${ACCESS_TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/** Whether a string has the shape of an openum token (checked before any database lookup). */
export function isAccessTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * The stored form of a token: hex SHA-256. A token carries 256 random bits, so a fast unsalted hash is
 * enough (nothing to brute-force) and lets the store find a token by its hash.
 */
export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
