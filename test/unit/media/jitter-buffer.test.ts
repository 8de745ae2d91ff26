import { JitterBuffer, type JitterFrame, type JitterPacket } from '../../../src/media/jitter-buffer.js';

function packet(sequenceNumber: number, ssrc = 1): JitterPacket {
  const seq = sequenceNumber & 0xffff;
  return { ssrc, sequenceNumber: seq, timestamp: (seq * 160) >>> 0, payloadType: 0, payload: Uint8Array.of(seq & 0xff) };
}

/** What pop() gives, as sequence numbers and 'C' for concealment. */
function drain(buffer: JitterBuffer, ticks: number): (number | 'C' | undefined)[] {
  const out: (number | 'C' | undefined)[] = [];
  for (let i = 0; i < ticks; i++) out.push(describe_(buffer.pop()));
  return out;
}

function describe_(frame: JitterFrame | undefined): number | 'C' | undefined {
  if (!frame) return undefined;
  return frame.kind === 'concealed' ? 'C' : frame.packet.sequenceNumber;
}

describe('jitter buffer', () => {
  test('gives nothing until `depth` packets are held, then plays in order', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    expect(buffer.pop()).toBeUndefined();
    buffer.push(packet(10));
    buffer.push(packet(11));
    expect(buffer.pop()).toBeUndefined();
    buffer.push(packet(12));
    expect(drain(buffer, 3)).toEqual([10, 11, 12]);
    expect(buffer.stats).toMatchObject({ received: 3, lost: 0, concealed: 0, buffered: 0 });
  });

  test('reorders packets that arrive out of order', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    for (const seq of [101, 100, 103, 102]) buffer.push(packet(seq));
    expect(drain(buffer, 4)).toEqual([100, 101, 102, 103]);
  });

  test('drops duplicates, whether still buffered or already played', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    buffer.push(packet(1));
    buffer.push(packet(1));
    buffer.push(packet(2));
    expect(drain(buffer, 1)).toEqual([1]);
    buffer.push(packet(1));
    buffer.push(packet(3));
    expect(drain(buffer, 2)).toEqual([2, 3]);
    expect(buffer.stats).toMatchObject({ duplicates: 1, late: 1, received: 3 });
  });

  test('conceals a lost packet with one frame and counts it lost', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    for (const seq of [1, 2, 4, 5]) buffer.push(packet(seq));
    expect(drain(buffer, 5)).toEqual([1, 2, 'C', 4, 5]);
    expect(buffer.stats).toMatchObject({ lost: 1, concealed: 1, received: 4 });
  });

  test('a packet arriving after its slot was concealed is late and dropped', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    for (const seq of [1, 3]) buffer.push(packet(seq));
    expect(drain(buffer, 2)).toEqual([1, 'C']);
    buffer.push(packet(2));
    expect(drain(buffer, 1)).toEqual([3]);
    expect(buffer.stats).toMatchObject({ late: 1, lost: 1 });
  });

  test('plays straight through the 65535 → 0 wrap', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    for (const seq of [65533, 65535, 65534, 0, 2, 1]) buffer.push(packet(seq));
    expect(drain(buffer, 6)).toEqual([65533, 65534, 65535, 0, 1, 2]);
    expect(buffer.stats.lost).toBe(0);
    expect(buffer.extendedHighestSequence).toBe(65538);
  });

  test('on an underrun conceals every tick, then rebuffers to depth', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    buffer.push(packet(1));
    buffer.push(packet(2));
    expect(drain(buffer, 4)).toEqual([1, 2, 'C', 'C']);
    buffer.push(packet(3));
    expect(drain(buffer, 1)).toEqual(['C']);
    buffer.push(packet(4));
    expect(drain(buffer, 2)).toEqual([3, 4]);
    expect(buffer.stats).toMatchObject({ lost: 0, concealed: 3 });
  });

  test('resynchronises on an SSRC change', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    buffer.push(packet(100, 1));
    buffer.push(packet(101, 1));
    expect(drain(buffer, 1)).toEqual([100]);
    buffer.push(packet(5000, 2));
    expect(drain(buffer, 1)).toEqual(['C']);
    buffer.push(packet(5001, 2));
    expect(drain(buffer, 2)).toEqual([5000, 5001]);
    expect(buffer.stats).toMatchObject({ resyncs: 1, lost: 0 });
  });

  test('a sequence jump is a restart only once the next packet confirms it (RFC 3550 §A.1)', () => {
    const buffer = new JitterBuffer({ depth: 1 });
    buffer.push(packet(10));
    expect(drain(buffer, 1)).toEqual([10]);
    buffer.push(packet(40000)); // stray: ignored
    buffer.push(packet(11));
    expect(drain(buffer, 1)).toEqual([11]);
    buffer.push(packet(20000));
    buffer.push(packet(20001)); // confirms the jump
    expect(drain(buffer, 2)).toEqual([20001, 'C']);
    expect(buffer.stats.resyncs).toBe(1);
  });

  test('drops the oldest packets beyond capacity and plays on from there', () => {
    const buffer = new JitterBuffer({ depth: 2, capacity: 4 });
    for (let seq = 1; seq <= 6; seq++) buffer.push(packet(seq));
    expect(buffer.stats).toMatchObject({ overflow: 2, buffered: 4 });
    expect(drain(buffer, 4)).toEqual([3, 4, 5, 6]);
  });

  test('steady stream with 5 % loss and reordering: every packet accounted for', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    const sent = 400;
    // Deterministic: every 20th packet lost, every 7th delayed by one 20 ms slot (arrives after the next).
    const arrivals: number[][] = Array.from({ length: sent + 1 }, () => []);
    for (let seq = 0; seq < sent; seq++) {
      if (seq % 20 === 7) continue;
      arrivals[seq % 7 === 0 ? seq + 1 : seq]!.push((60000 + seq) & 0xffff);
    }
    let played = 0;
    let concealedWhileStreaming = 0;
    for (let slot = 0; slot < sent + 10; slot++) {
      for (const seq of arrivals[slot] ?? []) buffer.push(packet(seq));
      const frame = buffer.pop();
      if (frame?.kind === 'packet') played++;
      if (frame?.kind === 'concealed' && slot < sent) concealedWhileStreaming++;
    }
    expect(played).toBe(sent - sent / 20);
    expect(buffer.stats).toMatchObject({ lost: sent / 20, late: 0, duplicates: 0, buffered: 0 });
    // One concealment frame per lost packet, none for the delayed ones.
    expect(concealedWhileStreaming).toBe(sent / 20);
  });
});
