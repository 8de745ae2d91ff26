import { pino } from 'pino';
import { createSocket } from 'node:dgram';
import type { CallMedia } from '../../../src/media/call-media.js';
import type { DtmfDigitEvent } from '../../../src/media/dtmf-detector.js';
import { MediaClock } from '../../../src/media/media-clock.js';
import { answerOffer, createOffer, readAnswer } from '../../../src/media/offer-answer.js';
import { serializeRtpPacket } from '../../../src/media/rtp-packet.js';
import { PortPool } from '../../../src/media/port-pool.js';
import { RtpSession } from '../../../src/media/rtp-session.js';
import { WavCache } from '../../../src/media/wav-cache.js';
import { WorkerMediaEngine } from '../../../src/media/worker-media-engine.js';
import { writeWavFile } from '../../../src/media/wav-file.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { waitFor } from '../../support/wait-for.js';
import { join } from 'node:path';

/** Waits until `condition` holds (bounded). */
const until = (condition: () => boolean, timeoutMs = 5000): Promise<boolean> => waitFor('the condition', () => condition() || undefined, timeoutMs, 10);

const HOST = '127.0.0.1';


function sine(hz: number, samples: number, level = 8000): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(level * Math.sin((2 * Math.PI * hz * i) / 8000)));
}

function rms(frame: Int16Array): number {
  let sum = 0;
  for (const sample of frame) sum += sample * sample;
  return Math.sqrt(sum / frame.length);
}

describe('media threads (WorkerMediaEngine) against an RTP session in this thread', () => {
  let pool: PortPool;
  let engine: WorkerMediaEngine;
  let clock: MediaClock;
  let dir: string;
  const peers: RtpSession[] = [];
  const medias: CallMedia[] = [];

  beforeEach(async () => {
    pool = new PortPool({ min: 42000 + Math.floor(Math.random() * 200) * 20, max: 65000 });
    engine = await WorkerMediaEngine.start({ threads: 2, pool, prompts: new WavCache(), logger: pino({ level: 'silent' }) });
    clock = new MediaClock();
    dir = mkdtempSync(join(tmpdir(), 'openum-media-thread-'));
  });

  afterEach(async () => {
    for (const media of medias.splice(0)) media.close();
    for (const peer of peers.splice(0)) peer.close();
    clock.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A call's media in a thread, connected to a peer session here (which offers). */
  async function connected(): Promise<{ media: CallMedia; peer: RtpSession }> {
    const media = await engine.open({ bindAddress: HOST, inactivityTimeoutMs: 0 });
    medias.push(media);
    const peer = await RtpSession.open({ pool, clock, bindAddress: HOST, rtcpIntervalMs: 200 });
    peers.push(peer);
    const peerLocal = { address: HOST, port: peer.port, origin: { sessionId: '1', sessionVersion: 1 } };
    const { answer, media: atThread } = answerOffer(createOffer(peerLocal), { address: HOST, port: media.port, origin: { sessionId: '2', sessionVersion: 1 } });
    media.start(atThread);
    peer.start(readAnswer(answer, peerLocal));
    return { media, peer };
  }

  test('a file played in the thread reaches the peer, and the play resolves when it has been sent', async () => {
    const { media, peer } = await connected();
    const path = join(dir, 'prompt.wav');
    await writeWavFile(path, sine(440, 8000)); // 1 s
    const heard: number[] = [];
    peer.on('audio', (frame, info) => !info.concealed && heard.push(rms(frame)));
    const started = performance.now();
    await expect(media.play([{ kind: 'file', path }, { kind: 'silence', durationMs: 100 }])).resolves.toEqual({ completed: true });
    const took = performance.now() - started;
    // 55 frames at 20 ms: the thread paced them, it did not dump them.
    expect(took).toBeGreaterThan(900);
    await until(() => heard.filter((level) => level > 3000).length >= 45);
    expect(media.playing).toBe(false);
  });

  test('received audio reaches this thread only while asked for; digits both ways', async () => {
    const { media, peer } = await connected();
    const loud = sine(300, 160);
    peer.setSource({ readFrame: () => loud });
    const frames: number[] = [];
    media.on('audio', (frame) => frames.push(rms(frame)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frames).toHaveLength(0);
    media.receiveAudio(true);
    await until(() => frames.filter((level) => level > 3000).length >= 10);
    media.receiveAudio(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const count = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(frames.length).toBe(count);

    const digitsHere: DtmfDigitEvent[] = [];
    const digitsAtPeer: DtmfDigitEvent[] = [];
    media.on('dtmf', (digit) => digitsHere.push(digit));
    peer.on('dtmf', (digit) => digitsAtPeer.push(digit));
    peer.sendDigit('5');
    media.sendDigit('#');
    await until(() => digitsHere.length === 1 && digitsAtPeer.length === 1);
    expect(digitsHere[0]?.digit).toBe('5');
    expect(digitsAtPeer[0]?.digit).toBe('#');
    expect(() => media.sendDigit('1', 5)).toThrow(/DTMF duration/);
  });

  test('audio the thread received before close() still arrives, before closed resolves', async () => {
    const { media, peer } = await connected();
    const loud = sine(300, 160);
    peer.setSource({ readFrame: () => loud });
    let frames = 0;
    media.on('audio', () => frames++);
    media.receiveAudio(true);
    await until(() => frames >= 5);
    // Keep this thread busy while the media thread goes on sending batches: they queue up here.
    const busyUntil = performance.now() + 300;
    while (performance.now() < busyUntil) {
      /* blocking on purpose */
    }
    const before = frames;
    media.close();
    await media.closed;
    expect(frames - before).toBeGreaterThanOrEqual(5);
  });

  test('packets of another length (30 ms) come through whole, and the thread stays up', async () => {
    const media = await engine.open({ bindAddress: HOST, inactivityTimeoutMs: 0 });
    medias.push(media);
    // A gateway sending 30 ms PCMU packets (240 bytes), from a plain socket.
    const gateway = createSocket('udp4');
    await new Promise<void>((resolve) => gateway.bind(0, HOST, resolve));
    const offer = createOffer({ address: HOST, port: gateway.address().port, origin: { sessionId: '3', sessionVersion: 1 } });
    media.start(answerOffer(offer, { address: HOST, port: media.port, origin: { sessionId: '4', sessionVersion: 1 } }).media);
    const lengths: number[] = [];
    let failed = false;
    media.on('failed', () => (failed = true));
    media.on('audio', (frame, info) => !info.concealed && lengths.push(frame.length));
    media.receiveAudio(true);
    const payload = new Uint8Array(240).fill(0x20);
    for (let i = 0; i < 30; i++) {
      const packet = serializeRtpPacket({ marker: i === 0, payloadType: 0, sequenceNumber: 100 + i, timestamp: 1000 + i * 240, ssrc: 0x1234, csrc: [], paddingLength: 0, payload });
      gateway.send(packet, media.port, HOST);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    try {
      await until(() => lengths.length >= 10);
      expect(new Set(lengths)).toEqual(new Set([240]));
      await expect(media.play([{ kind: 'silence', durationMs: 40 }])).resolves.toEqual({ completed: true });
      media.close();
      await expect(media.closed).resolves.toMatchObject({ packetsIn: 30 });
      expect(failed).toBe(false);
    } finally {
      gateway.close();
    }
  });

  test('barge-in ends a play here at once; the next play starts cleanly in the thread', async () => {
    const { media } = await connected();
    const long = media.play([{ kind: 'silence', durationMs: 10_000 }], { bargeIn: true });
    expect(media.playing).toBe(true);
    await expect(media.play([{ kind: 'silence', durationMs: 20 }])).rejects.toThrow(/playing/);
    expect(media.interrupt('3')).toBe(true);
    await expect(long).resolves.toEqual({ completed: false, interruptedBy: '3' });
    await expect(media.play([{ kind: 'tone', frequencyHz: 1000, durationMs: 100, levelDbfs: -10, rampMs: 5, sampleRate: 8000 }])).resolves.toEqual({ completed: true });
    expect(media.interrupt('4')).toBe(false);
    await expect(media.play([{ kind: 'file', path: join(dir, 'missing.wav') }])).rejects.toThrow();
    expect(media.playing).toBe(false);
  });

  test('close gives the final counters and the ports back', async () => {
    const { media } = await connected();
    await media.play([{ kind: 'silence', durationMs: 200 }]);
    expect(pool.used).toBe(2); // the thread's and the peer's
    media.close();
    const stats = await media.closed;
    expect(stats.packetsOut).toBeGreaterThanOrEqual(10);
    expect(pool.used).toBe(1);
    expect(() => media.start(media.negotiated!)).toThrow(/closed/);
    // The threads report their clocks once a second.
    await until(() => engine.clockStats.ticks > 0, 3000);
    expect(engine.clockStats.pacingErrorMs.max).toBeGreaterThanOrEqual(0);
  });

  test('a port another process holds is skipped', async () => {
    const taken = pool.acquire();
    const busy = createSocket('udp4');
    await new Promise<void>((resolve) => busy.bind(taken, HOST, resolve));
    let first = true;
    const busyFirst = {
      acquire: (): number => (first ? ((first = false), taken) : pool.acquire()),
      release: (port: number) => port !== taken && pool.release(port),
    };
    const own = await WorkerMediaEngine.start({ threads: 1, pool: busyFirst, prompts: new WavCache(), logger: pino({ level: 'silent' }) });
    try {
      const media = await own.open({ bindAddress: HOST, inactivityTimeoutMs: 0 });
      expect(media.port).not.toBe(taken);
      media.close();
      await media.closed;
    } finally {
      busy.close();
      await own.close();
    }
  });

  test('a thread that dies fails its calls (they hang up) and is replaced', async () => {
    const { media } = await connected();
    const failed = new Promise<Error>((resolve) => media.once('failed', resolve));
    // The only way in from outside: end the worker under the engine, as a crash would.
    const threads = (engine as unknown as { threadList: { worker: { terminate(): Promise<number> }; calls: Map<number, unknown> }[] }).threadList;
    const serving = threads.find((thread) => thread.calls.size > 0);
    await serving!.worker.terminate();
    expect((await failed).message).toMatch(/exited/);
    await expect(media.closed).resolves.toBeDefined();
    await until(() => engine.threads === 2);
    const again = await connected();
    await expect(again.media.play([{ kind: 'silence', durationMs: 60 }])).resolves.toEqual({ completed: true });
  });
});
