import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { MailboxArgumentError } from './errors.js';

/** scrypt cost parameters (RFC 7914 §2): CPU/memory cost `N` (a power of two), block size `r`, parallelism `p`. */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** 2^14 · 8 · 128 B = 16 MiB and some 50 ms per hash: OWASP's floor for scrypt, affordable per login. */
export const DEFAULT_SCRYPT_PARAMETERS: Readonly<ScryptParameters> = { N: 16_384, r: 8, p: 1 };

/** Passwords shorter than this are refused when set. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are refused (a Basic header is not a place for a novel, and scrypt reads it all). */
export const MAX_PASSWORD_LENGTH = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

/**
 * Hashes a password as `scrypt$N$r$p$<salt>$<key>` (salt and key base64): the parameters travel with the
 * hash, so raising the default later leaves stored hashes verifiable. Unicode is NFC-normalised first so
 * that the same password typed on two keyboards hashes the same.
 */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters, KEY_BYTES);
  return [PREFIX, parameters.N, parameters.r, parameters.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches a hash from {@link hashPassword}; false for a hash it cannot read. Constant-time compare. */
export async function verifyPasswordHash(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if (parsed === undefined || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed.parameters, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** Refuses passwords outside the length limits (MailboxArgumentError). */
export function checkNewPassword(password: string): void {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) throw new MailboxArgumentError(`the password is too short: got ${length} characters, need at least ${MIN_PASSWORD_LENGTH}`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new MailboxArgumentError(`the password is too long: got ${password.length} characters, at most ${MAX_PASSWORD_LENGTH}`);
}

function parsePasswordHash(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const [prefix, n, r, p, salt, key, ...rest] = encoded.split('$');
  if (prefix !== PREFIX || rest.length > 0 || salt === undefined || key === undefined) return undefined;
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  // Bounds keep a damaged row from asking scrypt for gigabytes.
  const sane = Number.isInteger(parameters.N) && parameters.N >= 2 && parameters.N <= 2 ** 20 && (parameters.N & (parameters.N - 1)) === 0
    && Number.isInteger(parameters.r) && parameters.r >= 1 && parameters.r <= 32 && Number.isInteger(parameters.p) && parameters.p >= 1 && parameters.p <= 16;
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (!sane || saltBytes.length === 0 || keyBytes.length < 16) return undefined;
  return { parameters, salt: saltBytes, key: keyBytes };
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParameters, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r or node refuses the parameters.
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
