/** Shared copies already made, by the array they copy: prompts and messages are played again and again. */
const copies = new WeakMap<Int16Array, Int16Array>();

/**
 * `samples` in memory a media thread can read without a copy: posting an array backed by a
 * `SharedArrayBuffer` shares it, while an ordinary one would be cloned on every play. The copy is made
 * once per array (remembered weakly); callers must not modify either afterwards.
 */
export function sharedSamples(samples: Int16Array): Int16Array {
  if (samples.buffer instanceof SharedArrayBuffer) return samples;
  let shared = copies.get(samples);
  if (shared === undefined) {
    shared = new Int16Array(new SharedArrayBuffer(samples.byteLength));
    shared.set(samples);
    copies.set(samples, shared);
  }
  return shared;
}
