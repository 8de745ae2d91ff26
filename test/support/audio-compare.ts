import { readFileSync } from 'node:fs';
import alawmulaw from 'alawmulaw';

/** Reads G.711 µ-law audio — a raw `.ulaw` file as SIPp streams it, or a WAV (format 7) — into 16-bit PCM. */
export function readMulawWav(path: string): Int16Array {
  const bytes = readFileSync(path);
  if (path.endsWith('.ulaw')) return alawmulaw.mulaw.decode(bytes);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ' && bytes.readUInt16LE(offset + 8) !== 7) throw new Error(`${path} is not µ-law`);
    if (id === 'data') return alawmulaw.mulaw.decode(bytes.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

/** Normalised cross-correlation of `b` against `a` at one lag (b shifted right by `lag`). */
function correlationAt(a: Int16Array, b: Int16Array, lag: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const j = i + lag;
    if (j < 0 || j >= b.length) continue;
    const x = a[i]!;
    const y = b[j]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * Where `reference` best lines up inside `recording` and how well: tries every lag in [0, maxLag]
 * samples (speech decorrelates within a few samples, so no coarse grid).
 */
export function bestAlignment(reference: Int16Array, recording: Int16Array, maxLag: number): { lag: number; correlation: number } {
  let best = { lag: 0, correlation: -1 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const c = correlationAt(reference, recording, lag);
    if (c > best.correlation) best = { lag, correlation: c };
  }
  return best;
}

/**
 * A recording without the 20 ms frames of digital silence (all zero) that openum writes for a
 * jitter-buffer underrun: when the sender pauses longer than the buffer's 60 ms (SIPp or baresip on a
 * busy machine), the pause is recorded as concealment and the rest follows it, whole — nothing is lost,
 * but one alignment no longer fits the whole recording. Apply it to the reference too: µ-law 0xFF/0x7F
 * decode to 0, so a sent frame can be all zero as well.
 */
export function withoutConcealment(samples: Int16Array, frame = 160): Int16Array {
  const kept: Int16Array[] = [];
  for (let at = 0; at < samples.length; at += frame) {
    const chunk = samples.subarray(at, at + frame);
    if (chunk.some((sample) => sample !== 0)) kept.push(chunk);
  }
  const out = new Int16Array(kept.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of kept) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
