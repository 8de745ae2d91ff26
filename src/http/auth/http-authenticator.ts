import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationThrottledError } from './auth-errors.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import type { PresentedCredentials } from './authorization-header.js';
import { DEFAULT_FAILURE_LIMITS, FailureLimiter } from './failure-limiter.js';
import type { FailureLimits } from './failure-limiter.js';
import type { FindUserByName } from './user-name.js';

/**
 * What the authenticator asks of the credential store (mailbox/'s CredentialStore fits). Aliases are
 * case-insensitive; `verifyToken` may answer in lower case.
 */
export interface CredentialVerifier {
  /** Whether `password` is the mailbox's password. */
  verifyPassword(alias: string, password: string): Promise<boolean>;
  /** The alias an API token belongs to, or undefined. */
  verifyToken(token: string): Promise<string | undefined>;
}

/** Options of {@link HttpAuthenticator}. */
export interface HttpAuthenticatorOptions {
  credentials: CredentialVerifier;
  /** Sign-in name → alias as the directory spells it (see `userNameResolver`). Also re-checks a token's mailbox still exists. */
  findUserByName: FindUserByName;
  /** Failure limits, applied separately per client address and per user name. */
  limits?: Partial<FailureLimits>;
  /** Clock (ms), for the limits. */
  now?: () => number;
}

/** How long a successful proof of credentials is remembered. */
const PROOF_LIFETIME_MS = 60_000;
/** Proofs remembered at most (oldest out first). */
const MAX_PROVEN = 10_000;
/** Retry-After when a client or user already has as many verifications under way as it may fail. */
const BUSY_RETRY_MS = 1000;

/** The realm of every challenge openum sends. */
export const AUTH_REALM = 'openum';

/** The `WWW-Authenticate` challenges of a 401: Basic (what Outlook and Lync use) and Bearer (openum tokens). */
export const WWW_AUTHENTICATE_CHALLENGES: readonly string[] = [`Basic realm="${AUTH_REALM}", charset="UTF-8"`, `Bearer realm="${AUTH_REALM}"`];

/**
 * Authenticates HTTP requests against the mailbox credentials (spec §8.1): `Authorization: Basic` with the
 * alias, `DOMAIN\alias` or an SMTP address of the mailbox, or `Authorization: Bearer openum_…`. Failures
 * are limited per client address and per user name; a throttled request is answered 429 by
 * {@link registerAuthenticationThrottle}'s hook and is never checked against the store.
 *
 * `authenticate` is what `registerEws`, `registerAutodiscover` and `registerJsonApi` take.
 */
export class HttpAuthenticator {
  private readonly credentials: CredentialVerifier;
  private readonly findUserByName: FindUserByName;
  private readonly byClient: FailureLimiter;
  private readonly byUser: FailureLimiter;
  private readonly now: () => number;
  /** Verifications under way per client address and per user name (see {@link retryAfterMs}). */
  private readonly inFlight = new Map<string, number>();
  private readonly maxInFlight: number;
  /** SHA-256 of an Authorization header that proved a mailbox → the alias, until when. */
  private readonly proven = new Map<string, { alias: string; until: number }>();

  constructor(options: HttpAuthenticatorOptions) {
    this.credentials = options.credentials;
    this.findUserByName = options.findUserByName;
    this.byClient = new FailureLimiter(options.limits, options.now);
    this.byUser = new FailureLimiter(options.limits, options.now);
    this.now = options.now ?? Date.now;
    this.maxInFlight = options.limits?.maxFailures ?? DEFAULT_FAILURE_LIMITS.maxFailures;
  }

  /**
   * The alias the request's credentials prove; undefined without credentials, with wrong ones, or while
   * throttled (so a plugin without the throttle hook still answers 401 and learns nothing).
   */
  readonly authenticate = async (request: FastifyRequest): Promise<string | undefined> => {
    const header = request.headers.authorization;
    const presented = parseAuthorizationHeader(header);
    if (presented === undefined) return undefined;
    // Clients send the same password with every request: a proof is remembered for a minute, so scrypt
    // runs once, not per request (a changed password applies within it). Tokens are cheap to check and
    // are checked every time, so a revoked one stops at once.
    const digest = createHash('sha256').update(header ?? '').digest('base64');
    const remembered = this.proven.get(digest);
    const userKey = this.userKey(presented);
    if (remembered !== undefined && remembered.until > this.now() && this.findUserByName(remembered.alias) !== undefined) {
      if (userKey !== undefined) this.byUser.reset(userKey);
      return remembered.alias;
    }
    if (this.retryAfterMs(request, presented) > 0) return undefined;
    // Failures are counted when a verification ends; verifications under way count against the same
    // limit, so a burst of parallel guesses cannot all pass the check before the first one fails.
    const keys = [`ip:${request.ip}`, ...(userKey === undefined ? [] : [`user:${userKey}`])];
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let alias: string | undefined;
    try {
      alias = await this.verify(presented);
    } finally {
      for (const key of keys) {
        const n = (this.inFlight.get(key) ?? 1) - 1;
        if (n > 0) this.inFlight.set(key, n);
        else this.inFlight.delete(key);
      }
    }
    if (alias !== undefined) {
      if (userKey !== undefined) this.byUser.reset(userKey);
      if (this.proven.size >= MAX_PROVEN) this.proven.delete(this.proven.keys().next().value as string);
      if (presented.scheme === 'basic') this.proven.set(digest, { alias, until: this.now() + PROOF_LIFETIME_MS });
      return alias;
    }
    const blockedClient = this.byClient.recordFailure(request.ip);
    const blockedUser = userKey === undefined ? 0 : this.byUser.recordFailure(userKey);
    const fields = { ip: request.ip, scheme: presented.scheme, user: presented.scheme === 'basic' ? presented.userName : undefined };
    if (blockedClient > 0 || blockedUser > 0) request.log.warn({ ...fields, blockedMs: Math.max(blockedClient, blockedUser) }, 'authentication failures: throttling');
    else request.log.info(fields, 'authentication failed');
    return undefined;
  };

  /** Throws {@link AuthenticationThrottledError} when the request's client or user name is throttled. */
  assertNotThrottled(request: FastifyRequest): void {
    const presented = parseAuthorizationHeader(request.headers.authorization);
    if (presented === undefined) return;
    const ms = this.retryAfterMs(request, presented);
    if (ms > 0) throw new AuthenticationThrottledError(Math.ceil(ms / 1000));
  }

  private retryAfterMs(request: FastifyRequest, presented: PresentedCredentials): number {
    const userKey = this.userKey(presented);
    const busy = (this.inFlight.get(`ip:${request.ip}`) ?? 0) >= this.maxInFlight || (userKey !== undefined && (this.inFlight.get(`user:${userKey}`) ?? 0) >= this.maxInFlight);
    return Math.max(busy ? BUSY_RETRY_MS : 0, this.byClient.blockedFor(request.ip), userKey === undefined ? 0 : this.byUser.blockedFor(userKey));
  }

  private async verify(presented: PresentedCredentials): Promise<string | undefined> {
    if (presented.scheme === 'bearer') {
      const owner = await this.credentials.verifyToken(presented.token);
      // The mailbox may have left the configuration since the token was issued.
      return owner === undefined ? undefined : this.findUserByName(owner);
    }
    const alias = this.findUserByName(presented.userName);
    // An unknown user still costs a hash (the store hashes a dummy), so timing does not reveal users.
    const ok = await this.credentials.verifyPassword(alias ?? (presented.userName.trim() || '-'), presented.password);
    return ok && alias !== undefined ? alias : undefined;
  }

  /** Failures count per mailbox whichever spelling was used; per spelling for names that are no mailbox. */
  private userKey(presented: PresentedCredentials): string | undefined {
    if (presented.scheme !== 'basic') return undefined;
    return (this.findUserByName(presented.userName) ?? presented.userName.trim()).toLowerCase();
  }
}

/**
 * Adds the root `onRequest` hook that answers a throttled authentication attempt with 429 and
 * `Retry-After` before any plugin reads it. Call it before `registerEws` / `registerAutodiscover` /
 * `registerJsonApi`, so that their encapsulated scopes inherit it. Requests without an `Authorization`
 * header pass (they get the plugins' 401 challenge, which reveals nothing).
 */
export function registerAuthenticationThrottle(app: FastifyInstance, authenticator: HttpAuthenticator): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      authenticator.assertNotThrottled(request);
    } catch (error) {
      if (!(error instanceof AuthenticationThrottledError)) throw error;
      return sendThrottled(reply, error);
    }
    return undefined;
  });
}

/** The 429 answer: `Retry-After` in seconds and the JSON API's error shape. */
export function sendThrottled(reply: FastifyReply, error: AuthenticationThrottledError): FastifyReply {
  return reply
    .code(429)
    .header('Retry-After', String(error.retryAfterSeconds))
    .type('application/json; charset=utf-8')
    .send({ error: { code: 'too-many-attempts', message: error.message } });
}
