import { createSocket, type Socket } from 'node:dgram';
import { MediaClock } from '../../../src/media/media-clock.js';
import { answerOffer, createOffer, readAnswer, type LocalMediaOptions, type NegotiatedMedia } from '../../../src/media/offer-answer.js';
import { PortPool } from '../../../src/media/port-pool.js';
import { decodeG711 } from '../../../src/media/g711.js';
import { parseRtpPacket, serializeRtpPacket } from '../../../src/media/rtp-packet.js';
import { RtpSession } from '../../../src/media/rtp-session.js';
import type { AudioSource } from '../../../src/media/rtp-session-types.js';
import type { DtmfDigitEvent } from '../../../src/media/dtmf-detector.js';
import { waitFor } from '../../support/wait-for.js';
import { FakeTimer } from '../../unit/media/fake-timer.js';

/** Waits until `condition` holds (bounded). */
const until = (condition: () => boolean, timeoutMs = 5000): Promise<boolean> => waitFor('the condition', () => condition() || undefined, timeoutMs, 10);

const HOST = '127.0.0.1';

function tone(hz: number, frames: number): Int16Array[] {
  return Array.from({ length: frames }, (_, f) =>
    Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * (f * 160 + i)) / 8000))),
  );
}

function arraySource(frames: Int16Array[]): AudioSource & { left: () => number } {
  let next = 0;
  return { readFrame: () => frames[next++], left: () => frames.length - next };
}

function energy(frame: Int16Array): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  return Math.sqrt(sum / frame.length);
}

function localFor(session: RtpSession, address = HOST): LocalMediaOptions {
  return { address, port: session.port, origin: { sessionId: String(session.port), sessionVersion: 1 } };
}

/** Offer from `a`, answer from `b`; the optional ports replace the ones written in the offer / the answer (to put a relay between). */
function negotiate(a: RtpSession, b: RtpSession, redirectOfferPort?: number, redirectAnswerPort?: number): { atA: NegotiatedMedia; atB: NegotiatedMedia } {
  const offerLocal = { ...localFor(a), port: redirectOfferPort ?? a.port };
  const { answer, media: atB } = answerOffer(createOffer(offerLocal), { ...localFor(b), port: redirectAnswerPort ?? b.port, codecs: ['PCMA'] });
  return { atA: readAnswer(answer, offerLocal), atB };
}

describe('RTP session over UDP on 127.0.0.1', () => {
  let pool: PortPool;
  let clock: MediaClock;
  const sessions: RtpSession[] = [];
  const sockets: Socket[] = [];

  async function open(options: Partial<Parameters<typeof RtpSession.open>[0]> = {}): Promise<RtpSession> {
    const session = await RtpSession.open({ pool, clock, bindAddress: HOST, rtcpIntervalMs: 200, ...options });
    sessions.push(session);
    return session;
  }

  beforeEach(() => {
    pool = new PortPool({ min: 41000 + Math.floor(Math.random() * 200) * 20, max: 65000 });
    clock = new MediaClock();
  });

  afterEach(() => {
    for (const session of sessions.splice(0)) session.close();
    for (const socket of sockets.splice(0)) socket.close();
    clock.close();
  });

  test('two sessions exchange audio both ways, DTMF digits and RTCP reports', async () => {
    const a = await open();
    const b = await open();
    expect(a.port % 2).toBe(0);
    const { atA, atB } = negotiate(a, b);
    expect(atA.codec).toBe('PCMA');

    const heardByB: Int16Array[] = [];
    const heardByA: Int16Array[] = [];
    const digitsAtA: DtmfDigitEvent[] = [];
    b.on('audio', (frame, info) => {
      if (!info.concealed) heardByB.push(frame);
    });
    a.on('audio', (frame, info) => {
      if (!info.concealed) heardByA.push(frame);
    });
    a.on('dtmf', (digit) => digitsAtA.push(digit));
    const latched: string[] = [];
    b.on('latched', (remote) => latched.push(`${remote.address}:${remote.port}`));

    const toneToB = arraySource(tone(400, 40));
    a.setSource(toneToB);
    a.start(atA);
    b.start(atB);

    await until(() => heardByA.length >= 5 && heardByB.some((frame) => energy(frame) > 3000));
    expect(latched).toEqual([`${HOST}:${a.port}`]);

    b.sendDigit('1', 100);
    b.sendDigit('#', 60);
    await until(() => digitsAtA.length >= 2);
    await until(() => a.stats.rtcpIn > 0 && b.stats.rtcpIn > 0);
    await until(() => toneToB.left() === 0);

    expect(digitsAtA.map((digit) => digit.digit)).toEqual(['1', '#']);
    const loud = heardByB.filter((frame) => energy(frame) > 3000);
    // A 400 Hz tone at amplitude 8000 has an RMS of ~5657; after A-law it stays within a few percent.
    expect(loud.length).toBeGreaterThan(10);
    for (const frame of loud.slice(1, -1)) expect(Math.abs(energy(frame) - 5657)).toBeLessThan(300);
    expect(b.stats.digitsOut).toBe(2);
    expect(a.stats.digitsIn).toBe(2);
    expect(a.stats.packetsOut).toBeGreaterThanOrEqual(40);
    expect(b.stats.packetsIn).toBeGreaterThanOrEqual(40);
    expect(b.stats.bytesIn).toBe(b.stats.packetsIn * (12 + 160));
    expect(b.stats.packetsLost).toBe(0);
    expect(clock.stats.subscribers).toBe(2);
  });

  test('loss and reordering injected by a relay: lost frames concealed, reordered ones played', async () => {
    const a = await open();
    const b = await open();
    // A sends to the relay's first socket, which forwards to B from the second; B's replies go back the same way.
    const fromA = createSocket('udp4');
    const towardB = createSocket('udp4');
    sockets.push(fromA, towardB);
    await Promise.all([fromA, towardB].map((socket) => new Promise<void>((resolve) => socket.bind(0, HOST, resolve))));
    let count = 0;
    let dropped = 0;
    let held: Buffer | undefined;
    fromA.on('message', (message) => {
      const packet = parseRtpPacket(message);
      if (packet.payloadType !== 8) return;
      count++;
      if (count % 10 === 5) {
        dropped++;
        return;
      }
      if (count % 10 === 8 && !held) {
        held = message; // sent after the next one: a swap
        return;
      }
      towardB.send(message, b.port, HOST);
      if (held) {
        towardB.send(held, b.port, HOST);
        held = undefined;
      }
    });
    towardB.on('message', (message) => {
      fromA.send(message, a.port, HOST);
    });

    // Each side is told the relay's address in SDP, so symmetric RTP latches onto the relay too.
    const { atA, atB } = negotiate(a, b, towardB.address().port, fromA.address().port);
    a.setSource(arraySource(tone(400, 60)));
    let concealed = 0;
    let played = 0;
    b.on('audio', (_frame, info) => (info.concealed ? concealed++ : played++));
    a.start(atA);
    b.start(atB);
    await until(() => count >= 60 && b.stats.jitterBuffer.lost >= dropped && dropped >= 5);

    const stats = b.stats;
    expect(stats.jitterBuffer.lost).toBe(dropped);
    expect(stats.packetsLost).toBe(dropped);
    expect(stats.jitterBuffer.late).toBe(0);
    expect(concealed).toBeGreaterThanOrEqual(dropped);
    expect(played).toBeGreaterThan(40);
    // Both sides latched onto the relay and hear each other through it.
    expect(a.stats.packetsIn).toBeGreaterThan(0);
    expect(a.stats.foreign + b.stats.foreign).toBe(0);
  });

  test('hold stops sending; resume starts again', async () => {
    const a = await open();
    const b = await open();
    const { atA, atB } = negotiate(a, b);
    a.start(atA);
    b.start(atB);
    await until(() => b.stats.packetsIn > 5);
    const change = a.update({ ...atA, direction: 'recvonly', sending: false, onHold: false });
    expect(change.directionChanged).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const frozen = b.stats.packetsIn;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.stats.packetsIn).toBe(frozen);
    a.update(atA);
    await until(() => b.stats.packetsIn > frozen + 3);
  });

  test('the port pool: even pairs, exhaustion is typed, close returns the ports (idempotent)', async () => {
    pool = new PortPool({ min: 43000 + Math.floor(Math.random() * 1000) * 2, max: 65000 });
    const small = new PortPool({ min: pool.min, max: pool.min + 1 });
    const first = await open({ pool: small });
    await expect(open({ pool: small })).rejects.toMatchObject({ code: 'OPENUM_MEDIA_PORTS_EXHAUSTED' });
    const closes: number[] = [];
    first.on('close', () => closes.push(1));
    first.close();
    first.close();
    expect(closes).toEqual([1]);
    expect(() => first.start({} as NegotiatedMedia)).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_INVALID_STATE' }));
    const again = await open({ pool: small });
    expect(again.port).toBe(first.port);
  });

  test('a port taken by another process is skipped', async () => {
    const squatter = createSocket('udp4');
    sockets.push(squatter);
    const base = 45000 + Math.floor(Math.random() * 1000) * 2;
    await new Promise<void>((resolve) => squatter.bind(base, HOST, resolve));
    const session = await open({ pool: new PortPool({ min: base, max: base + 5 }) });
    expect(session.port).toBe(base + 2);
  });

  test('inactivity timeout fires once after N seconds without RTP (fake clock)', async () => {
    const timer = new FakeTimer();
    clock.close();
    clock = new MediaClock({ timer });
    const session = await open({ inactivityTimeoutMs: 2000, sendSilenceWhenIdle: false });
    let timeouts = 0;
    session.on('timeout', () => timeouts++);
    const { atB } = negotiate(session, session);
    session.start({ ...atB, remotePort: 9, remoteRtcpPort: 9 });
    timer.advance(1980);
    expect(timeouts).toBe(0);
    timer.advance(40);
    expect(timeouts).toBe(1);
    timer.advance(5000);
    expect(timeouts).toBe(1);
    // A peer on hold with "inactive" sends nothing: no timeout for that.
    session.update({ ...atB, remotePort: 9, remoteRtcpPort: 9, direction: 'inactive', receiving: false, sending: false, onHold: true });
    timer.advance(10_000);
    expect(timeouts).toBe(1);
  });

  test('a stalled clock skips sending ticks but still plays out every received frame (nothing lost to a recording)', async () => {
    const timer = new FakeTimer();
    clock.close();
    clock = new MediaClock({ timer });
    const session = await open({ sendSilenceWhenIdle: false });
    const sender = createSocket('udp4');
    sockets.push(sender);
    await new Promise<void>((resolve) => sender.bind(0, HOST, resolve));
    const { atB } = negotiate(session, session);
    session.start({ ...atB, codec: 'PCMU', payloadType: 0, receivePayloadType: 0, remotePort: sender.address().port, remoteRtcpPort: sender.address().port + 1 });
    let played = 0;
    session.on('audio', (_frame, info) => {
      if (!info.concealed) played++;
    });
    const send = (from: number, to: number) => {
      for (let n = from; n <= to; n++) {
        const payload = new Uint8Array(160).fill(0x55);
        sender.send(serializeRtpPacket({ marker: n === 1, payloadType: 0, sequenceNumber: n, timestamp: n * 160, ssrc: 0x1234, csrc: [], paddingLength: 0, payload }), session.port, HOST);
      }
    };
    send(1, 40);
    await until(() => session.stats.packetsIn >= 40);
    timer.advance(100);
    // The event loop is blocked for a second: the clock then runs a few overdue ticks and skips the rest.
    timer.stall(1000);
    timer.advance(20);
    expect(clock.stats.skipped).toBeGreaterThan(0);
    send(41, 80);
    await until(() => session.stats.packetsIn >= 80);
    timer.advance(3000);
    expect(played).toBe(80);
  });
  describe('RTP that arrives before start (the peer has our answer, its ACK — or the start command — has not reached us)', () => {
    let timer: FakeTimer;
    let sender: Socket;
    let session: RtpSession;
    const frames: number[] = [];
    const latched: number[] = [];
    // Packet n is a constant level that names it.
    const level = (n: number) => 0x80 - (n + 1);
    const send = (from: number, to: number, socket = sender) => {
      for (let n = from; n < to; n++) {
        const payload = new Uint8Array(160).fill(level(n));
        socket.send(serializeRtpPacket({ marker: n === 0, payloadType: 0, sequenceNumber: 100 + n, timestamp: n * 160, ssrc: 0x77, csrc: [], paddingLength: 0, payload }), session.port, HOST);
      }
    };
    const start = (remotePort: number) => {
      const { atB } = negotiate(session, session);
      session.start({ ...atB, codec: 'PCMU', payloadType: 0, receivePayloadType: 0, remoteAddress: HOST, remotePort, remoteRtcpPort: remotePort + 1 });
    };
    const decoded = (ns: number[]) => ns.map((n) => decodeG711('PCMU', Uint8Array.of(level(n)))[0]);
    /** Packets held so far (private: nothing else tells that a datagram arrived before start). */
    const held = () => (session as unknown as { early: unknown[] }).early.length;

    beforeEach(async () => {
      timer = new FakeTimer();
      clock.close();
      clock = new MediaClock({ timer });
      session = await open({ sendSilenceWhenIdle: false });
      sender = createSocket('udp4');
      sockets.push(sender);
      await new Promise<void>((resolve) => sender.bind(0, HOST, resolve));
      frames.length = 0;
      latched.length = 0;
      session.on('audio', (frame, info) => {
        if (!info.concealed) frames.push(frame[0]!);
      });
      session.on('latched', (to) => latched.push(to.port));
    });

    test('from the SDP\'s address, within 100 ms: the newest 10 are played at start, in order, the rest counted', async () => {
      send(0, 15);
      await until(() => session.stats.early === 5);
      expect(session.stats.packetsIn).toBe(0);
      start(sender.address().port);
      expect(session.stats.packetsIn).toBe(10);
      expect(latched).toEqual([sender.address().port]);
      send(15, 20);
      await until(() => session.stats.packetsIn === 15);
      timer.advance(2000);
      expect(frames).toEqual(decoded([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]));
    });

    test('older than 100 ms at start (ringback of an outbound call, a lost ACK): not played, counted', async () => {
      send(0, 3);
      await until(() => held() === 3);
      timer.advance(150);
      start(sender.address().port);
      expect(session.stats).toMatchObject({ packetsIn: 0, early: 3 });
      expect(latched).toEqual([]);
    });

    test('the inactivity timeout counts from start, not from when a held packet came', async () => {
      const quiet = await open({ inactivityTimeoutMs: 2000, sendSilenceWhenIdle: false });
      let timeouts = 0;
      quiet.on('timeout', () => timeouts++);
      sender.send(serializeRtpPacket({ marker: true, payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 0x78, csrc: [], paddingLength: 0, payload: new Uint8Array(160).fill(0x55) }), quiet.port, HOST);
      await until(() => (quiet as unknown as { early: unknown[] }).early.length === 1);
      timer.advance(90);
      const { atB } = negotiate(quiet, quiet);
      quiet.start({ ...atB, codec: 'PCMU', payloadType: 0, receivePayloadType: 0, remoteAddress: HOST, remotePort: sender.address().port, remoteRtcpPort: sender.address().port + 1 });
      expect(quiet.stats.packetsIn).toBe(1);
      timer.advance(1950);
      expect(timeouts).toBe(0);
      timer.advance(100);
      expect(timeouts).toBe(1);
    });

    test('from an address the SDP does not name (NAT, or another source): not played; the first live packet latches, as before', async () => {
      const other = createSocket('udp4');
      sockets.push(other);
      await new Promise<void>((resolve) => other.bind(0, HOST, resolve));
      send(0, 3, other);
      await until(() => held() === 3);
      start(sender.address().port);
      expect(session.stats).toMatchObject({ packetsIn: 0, early: 3 });
      send(3, 5, other);
      await until(() => session.stats.packetsIn === 2);
      expect(latched).toEqual([other.address().port]);
    });
  });
});
