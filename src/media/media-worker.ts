// Entry of a media thread: runs the RTP sessions and players of the calls the signalling thread gives
// it, on a media clock of its own. Started by WorkerMediaEngine; never imported by other modules.
import { parentPort, workerData } from 'node:worker_threads';
import { LocalCallMedia } from './local-call-media.js';
import { MediaClock } from './media-clock.js';
import { preciseMediaClockTimer } from './precise-timer.js';
import type { AudioBatch, MediaCommand, MediaReport, MediaThreadData } from './media-worker-protocol.js';
import { raiseThisThread } from './thread-priority.js';
import { RtpSession } from './rtp-session.js';
import { FRAME_MS } from './g711.js';

/** How often counters and clock figures go to the signalling thread, in 20 ms ticks. */
const STATS_EVERY_TICKS = 50;

interface Served {
  media: LocalCallMedia;
  /** The play under way, as the signalling thread numbered it. */
  playId: number | undefined;
}

if (!parentPort) throw new Error('media-worker.js runs as a worker thread only');
const link = parentPort;

/** Reports of this turn of the event loop, sent as one message (the audio batch goes on its own, with its buffers transferred). */
let outbox: MediaReport[] = [];
function post(report: MediaReport): void {
  if (outbox.length === 0) queueMicrotask(flushReports);
  outbox.push(report);
}
function flushReports(): void {
  const reports = outbox;
  outbox = [];
  if (reports.length > 0) link.postMessage(reports);
}
const data = workerData as MediaThreadData;
const clock = new MediaClock({
  timer: preciseMediaClockTimer(),
  phase: { originMs: performance.timeOrigin, offsetMs: (data.index / data.of) * FRAME_MS },
  onSubscriberError: (error) => post({ t: 'error', id: undefined, message: `media tick failed: ${(error as Error).stack ?? String(error)}` }),
});
const served = new Map<number, Served>();

/** Frames of this tick for calls that asked for audio, sent together once the tick is done. */
const pendingAudio: { ids: number[]; concealed: number[]; frames: Int16Array[] } = { ids: [], concealed: [], frames: [] };

function queueAudio(id: number, frame: Int16Array, concealed: boolean): void {
  if (pendingAudio.ids.length === 0) setImmediate(flushAudio);
  pendingAudio.ids.push(id);
  pendingAudio.concealed.push(concealed ? 1 : 0);
  pendingAudio.frames.push(frame);
}

function flushAudio(): void {
  const count = pendingAudio.ids.length;
  if (count === 0) return;
  const { ids, concealed, frames } = pendingAudio;
  pendingAudio.ids = [];
  pendingAudio.concealed = [];
  pendingAudio.frames = [];
  // Frames are usually 160 samples, but a peer may send 10 or 30 ms packets: each keeps its length.
  const ends = new Int32Array(count);
  let total = 0;
  frames.forEach((frame, k) => (ends[k] = total += frame.length));
  const batch: AudioBatch = { t: 'audio', ids: Int32Array.from(ids), concealed: Uint8Array.from(concealed), ends, samples: new Int16Array(total) };
  frames.forEach((frame, k) => batch.samples.set(frame, (ends[k] ?? 0) - frame.length));
  flushReports();
  link.postMessage([batch], [batch.ids.buffer as ArrayBuffer, batch.concealed.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer, batch.samples.buffer as ArrayBuffer]);
}

async function open(command: Extract<MediaCommand, { t: 'open' }>): Promise<void> {
  const { id, port } = command;
  try {
    // The signalling thread owns the port pool: this thread binds exactly the port it was given.
    const rtp = await RtpSession.open({ pool: { acquire: () => port, release: () => undefined }, bindAttempts: 1, clock, bindAddress: command.bindAddress, inactivityTimeoutMs: command.inactivityTimeoutMs });
    const media = new LocalCallMedia(rtp, undefined);
    served.set(id, { media, playId: undefined });
    followTicks();
    media.on('audio', (frame, info) => queueAudio(id, frame, info.concealed));
    // A digit goes after the audio received before it, as it would in one thread.
    media.on('dtmf', (digit) => {
      flushAudio();
      post({ t: 'dtmf', id, digit });
    });
    media.on('latched', (remote) => post({ t: 'latched', id, remote }));
    media.on('timeout', () => post({ t: 'timeout', id }));
    post({ t: 'opened', id });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    post({ t: 'open-failed', id, code: cause?.code, message: (error as Error).message });
  }
}

function play(entry: Served, command: Extract<MediaCommand, { t: 'play' }>): void {
  entry.playId = command.playId;
  entry.media.play(command.items, { bargeIn: command.bargeIn }).then(
    (result) => post({ t: 'played', id: command.id, playId: command.playId, result }),
    (error: unknown) => post({ t: 'play-failed', id: command.id, playId: command.playId, message: (error as Error).message }),
  );
}

function handle(command: MediaCommand): void {
  if (command.t === 'open') {
    void open(command);
    return;
  }
  const entry = served.get(command.id);
  if (!entry) return; // closed already: a late command has nothing left to act on
  switch (command.t) {
    case 'start':
      return entry.media.start(command.media);
    case 'update':
      entry.media.update(command.media);
      return;
    case 'play':
      return play(entry, command);
    case 'stop':
      if (entry.playId === command.playId) entry.media.stopPlay();
      return;
    case 'digit':
      return entry.media.sendDigit(command.digit, command.durationMs);
    case 'receive':
      return entry.media.receiveAudio(command.on);
    case 'close':
      served.delete(command.id);
      entry.media.close();
      // Audio of this tick goes first: the signalling thread ends a recording on "closed".
      flushAudio();
      post({ t: 'closed', id: command.id, stats: entry.media.stats });
      if (served.size === 0) {
        statsUnsubscribe?.();
        statsUnsubscribe = undefined;
      }
      return;
  }
}

link.on('message', (commands: MediaCommand[]) => {
  for (const command of commands) {
    try {
      handle(command);
    } catch (error) {
      post({ t: 'error', id: command.id, message: `${command.t}: ${(error as Error).message}` });
    }
  }
});

function postStats(): void {
  post({ t: 'stats', sessions: [...served].map(([id, entry]) => [id, entry.media.stats]), clock: clock.report });
}

// Counters go right after a tick, when the most time is left before the next one (sending them takes
// a millisecond or two with hundreds of calls); a timer of its own would land on ticks now and then.
let statsTicks = 0;
let statsUnsubscribe: (() => void) | undefined;
function followTicks(): void {
  statsUnsubscribe ??= clock.subscribe(() => {
    if (++statsTicks % STATS_EVERY_TICKS === 0) setImmediate(postStats);
  });
}
// Without calls the clock stops; counters still go out (a clock of no calls reports no ticks).
setInterval(() => served.size === 0 && postStats(), STATS_EVERY_TICKS * 20).unref();

post({ t: 'ready', priority: raiseThisThread(data.priority, data.normalNice) });
