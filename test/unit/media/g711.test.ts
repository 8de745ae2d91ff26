import { readPcapUdp, SIPP_PCAP_DIR } from '../../support/pcap.js';
import { MediaArgumentError } from '../../../src/media/errors.js';
import { codecForPayloadType, decodeG711, encodeFrame, encodeG711, SAMPLES_PER_FRAME } from '../../../src/media/g711.js';
import { parseRtpPacket } from '../../../src/media/rtp-packet.js';

function sine(amplitude: number, hz: number, samples = SAMPLES_PER_FRAME): Int16Array {
  const frame = new Int16Array(samples);
  for (let i = 0; i < samples; i++) frame[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000));
  return frame;
}

describe('G.711', () => {
  test('A-law from g711a.pcap decodes and re-encodes to the same bytes', () => {
    const packets = readPcapUdp(`${SIPP_PCAP_DIR}/g711a.pcap`).map((datagram) => parseRtpPacket(datagram.payload));
    let loud = 0;
    for (const packet of packets) {
      const pcm = decodeG711('PCMA', packet.payload);
      expect(pcm.length).toBe(packet.payload.length);
      expect(Buffer.compare(Buffer.from(encodeG711('PCMA', pcm)), Buffer.from(packet.payload))).toBe(0);
      if (pcm.some((sample) => Math.abs(sample) > 1000)) loud++;
    }
    // The capture is speech, not silence: the decode must produce real signal.
    expect(loud).toBeGreaterThan(50);
  });

  test('every A-law and µ-law code survives decode → encode (µ-law 0x7F is −0 and maps to 0xFF)', () => {
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(encodeG711('PCMA', decodeG711('PCMA', codes)))).toEqual(Array.from(codes));
    const mu = Array.from(encodeG711('PCMU', decodeG711('PCMU', codes)));
    expect(mu.filter((code, i) => code !== i)).toEqual([0xff]);
  });

  test('a 1 kHz tone encodes to a 160-byte frame and decodes within G.711 quantisation error', () => {
    const tone = sine(8000, 1000);
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const encoded = encodeFrame(codec, tone);
      expect(encoded.length).toBe(160);
      const decoded = decodeG711(codec, encoded);
      for (let i = 0; i < tone.length; i++) expect(Math.abs(decoded[i]! - tone[i]!)).toBeLessThanOrEqual(Math.abs(tone[i]!) / 16 + 16);
    }
  });

  test('digital silence encodes to the law\'s zero code', () => {
    expect(Array.from(new Set(encodeFrame('PCMU', new Int16Array(160))))).toEqual([0xff]);
    expect(Array.from(new Set(encodeFrame('PCMA', new Int16Array(160))))).toEqual([0xd5]);
  });

  test('frames must be 160 samples; payload types map to laws', () => {
    expect(() => encodeFrame('PCMU', new Int16Array(159))).toThrow(MediaArgumentError);
    expect(codecForPayloadType(0)).toBe('PCMU');
    expect(codecForPayloadType(8)).toBe('PCMA');
    expect(codecForPayloadType(18)).toBeUndefined();
  });
});
