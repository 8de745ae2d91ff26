/** Options every openum error may carry. */
export interface OpenumErrorOptions {
  /** The foreign error this one converts, kept for logs. */
  cause?: unknown;
  /** The SIP status this failure maps to when it ends a SIP transaction. */
  sipStatus?: number;
  /** The HTTP status this failure maps to when it ends an HTTP request. */
  httpStatus?: number;
}

/**
 * Base of every error openum raises on purpose. `code` is stable (`OPENUM_<AREA>_<PROBLEM>`), never
 * reused, and is what tests and callers match on — never the message text.
 */
export class OpenumError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** SIP status this maps to, if any. */
  readonly sipStatus: number | undefined;
  /** HTTP status this maps to, if any. */
  readonly httpStatus: number | undefined;

  constructor(code: string, message: string, options: OpenumErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.sipStatus = options.sipStatus;
    this.httpStatus = options.httpStatus;
  }
}
