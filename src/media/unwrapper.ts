/**
 * Extends wrapping RTP counters (16-bit sequence numbers, 32-bit timestamps) to monotonic numbers.
 * A step is read as the shortest way round the circle, so 65535 → 0 is +1 and 0 → 65535 is −1
 * (pion `internal/sequencenumber/unwrapper.go`; RFC 3550 §A.1 keeps the same "cycles" count).
 */
export class Unwrapper {
  private readonly modulus: number;
  private readonly half: number;
  private last: number | undefined;

  /** `bits` is the counter width: 16 for sequence numbers, 32 for timestamps. */
  constructor(bits: 16 | 32) {
    this.modulus = 2 ** bits;
    this.half = 2 ** (bits - 1);
  }

  /** Returns the extended value of `value`; the first value is returned as is. */
  unwrap(value: number): number {
    if (this.last === undefined) {
      this.last = value;
      return value;
    }
    const extended = this.last + wrappingDelta(value, this.last, this.modulus, this.half);
    // Only move forward: an old packet must not pull the reference back past a wrap.
    if (extended > this.last) this.last = extended;
    return extended;
  }

  /** Forgets the reference (new SSRC, resync). */
  reset(): void {
    this.last = undefined;
  }
}

/** Signed distance from `from` to `to` on a circle of `modulus` values, in [−half, half). */
function wrappingDelta(to: number, from: number, modulus: number, half: number): number {
  let delta = (to - (from % modulus) + modulus) % modulus;
  if (delta >= half) delta -= modulus;
  return delta;
}

/** Signed distance between two 16-bit sequence numbers (`b − a`), in [−32768, 32767]. */
export function sequenceDelta(a: number, b: number): number {
  return wrappingDelta(b, a, 0x10000, 0x8000);
}

/** Signed distance between two 32-bit RTP timestamps (`b − a`), in [−2^31, 2^31). */
export function timestampDelta(a: number, b: number): number {
  return wrappingDelta(b, a, 0x1_0000_0000, 0x8000_0000);
}
