import type { Logger } from 'pino';

/** Something the endpoint must settle when it closes: a live dialog, an outbound call awaiting its answer. */
export interface EndpointChild {
  /** The endpoint is closing: end now without network I/O (the sockets are about to go). */
  closeFromEndpoint(): void;
}

/**
 * The endpoint's live calls. Each child adds itself and deletes itself when it ends; `close()` ends the
 * rest (mediasoup `Router.close()` style) and makes later additions fail fast.
 */
export class CallRegistry {
  private readonly children = new Set<EndpointChild>();
  private closedFlag = false;

  constructor(private readonly logger: Logger) {}

  /** Whether the endpoint has closed. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Number of live children (for tests and metrics). */
  get size(): number {
    return this.children.size;
  }

  /** Track a child until it deletes itself. */
  add(child: EndpointChild): void {
    if (this.closedFlag) {
      child.closeFromEndpoint();
      return;
    }
    this.children.add(child);
  }

  /** Forget a child that ended. */
  delete(child: EndpointChild): void {
    this.children.delete(child);
  }

  /** End every child. Synchronous and idempotent. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const child of [...this.children]) {
      try {
        child.closeFromEndpoint();
      } catch (error) {
        this.logger.error({ err: error }, 'error ending a call on endpoint close');
      }
    }
    this.children.clear();
  }
}
