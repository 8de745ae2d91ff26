import { MediaArgumentError, PortsExhaustedError } from './errors.js';

/** Options of a {@link PortPool}. */
export interface PortPoolOptions {
  /** Lowest port (rounded up to even). */
  min: number;
  /** Highest port; the last RTP port is the highest even port whose RTCP port (+1) fits. */
  max: number;
}

/** Where an RTP session takes its even port from, and gives it back to. */
export interface PortSource {
  /** An even port not in use by another session; throws when none is left. */
  acquire(): number;
  /** Returns a port taken with `acquire`. */
  release(port: number): void;
}

/**
 * Even RTP ports from a configured range, RTCP on port + 1 (RFC 3550 §11). Allocation walks the range
 * round-robin so a port just released is not handed out again at once (late packets of the old call).
 */
export class PortPool implements PortSource {
  /** Lowest RTP port. */
  readonly min: number;
  /** Highest RTP port. */
  readonly max: number;
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(options: PortPoolOptions) {
    const min = options.min + (options.min % 2);
    const max = options.max - 1 - ((options.max - 1) % 2);
    if (!Number.isInteger(options.min) || !Number.isInteger(options.max) || min < 1024 || options.max > 65535 || max < min) {
      throw new MediaArgumentError(`RTP port range ${options.min}-${options.max} holds no even port pair`);
    }
    this.min = min;
    this.max = max;
    this.cursor = min;
  }

  /** Number of RTP ports (pairs) in the range. */
  get size(): number {
    return (this.max - this.min) / 2 + 1;
  }

  /** Pairs in use. */
  get used(): number {
    return this.inUse.size;
  }

  /** Takes a free even port; throws {@link PortsExhaustedError} when none is left. */
  acquire(): number {
    for (let i = 0; i < this.size; i++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.max ? this.min : port + 2;
      if (!this.inUse.has(port)) {
        this.inUse.add(port);
        return port;
      }
    }
    throw new PortsExhaustedError(this.min, this.max + 1);
  }

  /** Returns a port to the pool; releasing a free port does nothing. */
  release(port: number): void {
    this.inUse.delete(port);
  }
}
