import * as alawmulawModule from 'alawmulaw';
import { MediaArgumentError } from './errors.js';

// alawmulaw ships a UMD bundle: Node's ESM loader exposes it as `default`, its typings as named exports.
const alawmulaw: typeof alawmulawModule =
  (alawmulawModule as unknown as { default?: typeof alawmulawModule }).default ?? alawmulawModule;

/** The G.711 laws openum speaks (RFC 3551 §4.5.14). */
export type G711CodecName = 'PCMU' | 'PCMA';

/** Static payload type of each law (RFC 3551 Table 4). */
export const G711_PAYLOAD_TYPES: Readonly<Record<G711CodecName, number>> = { PCMU: 0, PCMA: 8 };

/** G.711 sampling rate, also its RTP clock rate. */
export const G711_SAMPLE_RATE = 8000;

/** Samples in one 20 ms frame at 8 kHz — the packet size openum sends. */
export const SAMPLES_PER_FRAME = 160;

/** Frame duration in milliseconds. */
export const FRAME_MS = 20;

/** Encodes 16-bit linear PCM to G.711 (one byte per sample). */
export function encodeG711(codec: G711CodecName, pcm: Int16Array): Uint8Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.encode(pcm) : alawmulaw.alaw.encode(pcm);
}

/** Decodes G.711 bytes to 16-bit linear PCM. */
export function decodeG711(codec: G711CodecName, encoded: Uint8Array): Int16Array {
  return codec === 'PCMU' ? alawmulaw.mulaw.decode(encoded) : alawmulaw.alaw.decode(encoded);
}

/** Encodes exactly one 20 ms frame; throws {@link MediaArgumentError} on another length. */
export function encodeFrame(codec: G711CodecName, pcm: Int16Array): Uint8Array {
  if (pcm.length !== SAMPLES_PER_FRAME) throw new MediaArgumentError(`frame has ${pcm.length} samples, need ${SAMPLES_PER_FRAME}`);
  return encodeG711(codec, pcm);
}

/** The codec of a static G.711 payload type, if it is one. */
export function codecForPayloadType(payloadType: number): G711CodecName | undefined {
  if (payloadType === G711_PAYLOAD_TYPES.PCMU) return 'PCMU';
  if (payloadType === G711_PAYLOAD_TYPES.PCMA) return 'PCMA';
  return undefined;
}

/** A frame of digital silence (all zero samples). */
export function silentFrame(): Int16Array {
  return new Int16Array(SAMPLES_PER_FRAME);
}
