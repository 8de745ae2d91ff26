import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CallMedia, MediaEngine, OpenCallMediaOptions } from './call-media.js';
import { MediaSocketError, MediaThreadError } from './errors.js';
import { combineClockStats, type ClockReport, type MediaClockStats } from './media-clock.js';
import type { AudioBatch, MediaCommand, MediaReport, MediaThreadData } from './media-worker-protocol.js';
import type { PortSource } from './port-pool.js';
import type { ThreadPriority, PriorityOutcome } from './thread-priority.js';
import type { WavCache } from './wav-cache.js';
import { WorkerCallMedia } from './worker-call-media.js';

/** Ports tried when a bind finds its port taken by another process (as RtpSession.open does). */
const BIND_ATTEMPTS = 10;
/** Wait before starting a replacement for a dead thread again, ms. */
const REPLACE_RETRY_MS = 5000;

/** Options of {@link WorkerMediaEngine.start}. */
export interface WorkerMediaEngineOptions {
  /** Media threads to run (≥ 1). */
  threads: number;
  /** RTP ports, handed out here and bound in the threads. */
  pool: PortSource;
  /** Prompt files, read in this thread and shared with the threads. */
  prompts: WavCache;
  logger: Logger;
  /** Scheduling priority the threads ask for (falling back, with a warning, when not permitted). Default `Realtime`. */
  priority?: ThreadPriority;
  /** Nice value of threads at `Normal`: the process's own when this thread was raised (they inherit its). Default: as inherited. */
  normalNice?: number;
}

/** Why a thread could not bind a port (`code` from the socket error, EADDRINUSE for a port in use). */
interface BindFailure {
  code: string | undefined;
  message: string;
}

interface PendingOpen {
  resolve: () => void;
  /** A bind failure, or the thread's death. */
  reject: (failure: BindFailure | MediaThreadError) => void;
}

/** One media thread and the calls it serves. */
class MediaThread {
  readonly calls = new Map<number, WorkerCallMedia>();
  readonly opening = new Map<number, PendingOpen>();
  clock: ClockReport | undefined;

  constructor(
    readonly worker: Worker,
    readonly index: number,
  ) {}

  get load(): number {
    return this.calls.size + this.opening.size;
  }

  /**
   * Commands of this turn of the event loop, sent as one message once its I/O callbacks have run
   * (setImmediate, not a microtask: under load one turn handles many packets and requests). A
   * postMessage wakes the thread, which preempts this one on a shared core: ~100 µs each, profiled.
   */
  private outbox: MediaCommand[] = [];

  send(command: MediaCommand): void {
    if (this.outbox.length === 0) setImmediate(() => this.flush());
    this.outbox.push(command);
  }

  private flush(): void {
    const commands = this.outbox;
    this.outbox = [];
    if (commands.length > 0) this.worker.postMessage(commands);
  }
}

/**
 * Calls' media spread over worker threads, each with its own media clock: the 20 ms tick of a
 * thousand calls no longer shares one event loop with SIP and HTTP, and two cores tick in parallel.
 * A new call goes to the thread serving the fewest. A thread that dies fails its calls (they hang up)
 * and is replaced.
 */
export class WorkerMediaEngine implements MediaEngine {
  private readonly threadList: MediaThread[] = [];
  private nextId = 1;
  private closing = false;
  private priorityNoted = false;

  private constructor(private readonly options: WorkerMediaEngineOptions) {}

  /** Starts the threads; resolves once every one is ready. */
  static async start(options: WorkerMediaEngineOptions): Promise<WorkerMediaEngine> {
    if (!(Number.isInteger(options.threads) && options.threads >= 1)) throw new MediaThreadError(`media threads: ${options.threads}`);
    const engine = new WorkerMediaEngine(options);
    try {
      for (let i = 0; i < options.threads; i++) engine.threadList.push(await engine.spawn(i));
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  get threads(): number {
    return this.threadList.length;
  }

  async open(options: OpenCallMediaOptions): Promise<CallMedia> {
    if (this.closing) throw new MediaThreadError('media engine is closed');
    let lastFailure: BindFailure | undefined;
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      const thread = this.leastLoaded();
      const port = this.options.pool.acquire();
      const id = this.nextId++;
      try {
        await new Promise<void>((resolve, reject) => {
          thread.opening.set(id, { resolve, reject });
          thread.send({ t: 'open', id, port, bindAddress: options.bindAddress, inactivityTimeoutMs: options.inactivityTimeoutMs });
        });
      } catch (failure) {
        this.options.pool.release(port);
        if (failure instanceof MediaThreadError) throw failure;
        lastFailure = failure as BindFailure;
        // Another process holds the port: try the next pair. Anything else will not get better.
        if (lastFailure.code !== 'EADDRINUSE') break;
        continue;
      }
      const media = new WorkerCallMedia(port, id, (command) => thread.send(command), this.options.prompts);
      thread.calls.set(id, media);
      return media;
    }
    throw new MediaSocketError('cannot bind RTP/RTCP sockets', lastFailure);
  }

  get clockStats(): MediaClockStats {
    return combineClockStats(this.threadList.flatMap((thread) => (thread.clock ? [thread.clock] : [])));
  }

  async close(): Promise<void> {
    this.closing = true;
    const threads = this.threadList.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
    for (const thread of threads) this.fail(thread, new MediaThreadError('media engine closed'));
  }

  private leastLoaded(): MediaThread {
    let best = this.threadList[0];
    for (const thread of this.threadList) if (best === undefined || thread.load < best.load) best = thread;
    if (best === undefined) throw new MediaThreadError('no media thread is running');
    return best;
  }

  /** Starts thread number `index` (its clock's phase); a replacement takes the number of the one it replaces. */
  private spawn(index: number): Promise<MediaThread> {
    const workerData: MediaThreadData = {
      priority: this.options.priority ?? 'Realtime',
      ...(this.options.normalNice === undefined ? {} : { normalNice: this.options.normalNice }),
      index,
      of: this.options.threads,
    };
    const worker = new Worker(workerScript(), { workerData });
    const thread = new MediaThread(worker, index);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (reports: MediaReport[]) => {
        for (const report of reports) {
          if (report.t === 'ready' && !ready) {
            ready = true;
            this.notePriority(report.priority);
            resolve(thread);
            continue;
          }
          // A listener that throws (a recording sink, say) must not cost the reports behind it.
          try {
            this.onReport(thread, report);
          } catch (error) {
            this.options.logger.error({ err: error, report: report.t }, 'handling a media thread report failed');
          }
        }
      });
      worker.on('error', (error) => {
        this.options.logger.error({ err: error }, 'media thread failed');
        if (!ready) reject(new MediaThreadError('media thread failed to start', error));
      });
      worker.on('exit', (code) => {
        if (!ready) return reject(new MediaThreadError(`media thread exited with ${code} before it was ready`));
        this.onExit(thread, code);
      });
    });
  }

  /** Logs once what priority the threads got, as a warning when less than asked. */
  private notePriority(outcome: PriorityOutcome): void {
    if (this.priorityNoted) return;
    this.priorityNoted = true;
    const wanted = this.options.priority ?? 'Realtime';
    if (outcome.applied === wanted) this.options.logger.info({ priority: outcome.applied }, 'media threads scheduled');
    else this.options.logger.warn({ wanted, applied: outcome.applied, reason: outcome.refused }, 'media threads run at a lower priority than asked: RTP pacing suffers on a busy machine');
  }

  private onExit(thread: MediaThread, code: number): void {
    const index = this.threadList.indexOf(thread);
    if (index < 0) return; // closed by us
    this.threadList.splice(index, 1);
    this.fail(thread, new MediaThreadError(`media thread exited with ${code}`));
    if (this.closing) return;
    this.replace(thread.index);
  }

  /** Starts a thread in place of a dead one; tries again every few seconds until one runs. */
  private replace(index: number): void {
    if (this.closing) return;
    this.spawn(index).then(
      (replacement) => (this.closing ? void replacement.worker.terminate() : this.threadList.push(replacement)),
      (error: unknown) => {
        this.options.logger.error({ err: error }, 'media thread could not be replaced; trying again');
        setTimeout(() => this.replace(index), REPLACE_RETRY_MS).unref();
      },
    );
  }

  private fail(thread: MediaThread, error: MediaThreadError): void {
    for (const [id, media] of thread.calls) {
      thread.calls.delete(id);
      this.options.pool.release(media.port);
      media.lost(error);
    }
    for (const [id, pending] of thread.opening) {
      thread.opening.delete(id);
      pending.reject(error);
    }
  }

  private onReport(thread: MediaThread, report: MediaReport): void {
    switch (report.t) {
      case 'audio':
        return this.onAudio(thread, report);
      case 'opened':
      case 'open-failed': {
        const pending = thread.opening.get(report.id);
        thread.opening.delete(report.id);
        if (report.t === 'opened') pending?.resolve();
        else pending?.reject({ code: report.code, message: report.message });
        return;
      }
      case 'latched':
        thread.calls.get(report.id)?.emit('latched', report.remote);
        return;
      case 'timeout':
        thread.calls.get(report.id)?.emit('timeout');
        return;
      case 'dtmf':
        thread.calls.get(report.id)?.emit('dtmf', report.digit);
        return;
      case 'played':
        return thread.calls.get(report.id)?.played(report.playId, report.result);
      case 'play-failed':
        return thread.calls.get(report.id)?.playFailed(report.playId, report.message);
      case 'stats':
        thread.clock = report.clock;
        for (const [id, stats] of report.sessions) thread.calls.get(id)?.updateStats(stats);
        return;
      case 'closed': {
        const media = thread.calls.get(report.id);
        if (!media) return;
        thread.calls.delete(report.id);
        this.options.pool.release(media.port);
        media.finished(report.stats);
        return;
      }
      case 'error':
        this.options.logger.error({ mediaId: report.id }, report.message);
        return;
      case 'ready':
        return;
    }
  }

  private onAudio(thread: MediaThread, batch: AudioBatch): void {
    let start = 0;
    for (let k = 0; k < batch.ids.length; k++) {
      const end = batch.ends[k] ?? start;
      thread.calls.get(batch.ids[k] ?? -1)?.received(batch.samples.subarray(start, end), { concealed: batch.concealed[k] === 1 });
      start = end;
    }
  }
}

/**
 * The compiled worker entry beside this module; under ts-jest (sources are .ts, which a worker thread
 * cannot load) the build of the same file, made by `npm run build` (the test command's pretest).
 */
function workerScript(): URL {
  const beside = new URL('./media-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../../dist/src/media/media-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new MediaThreadError(`media thread entry not found (${fileURLToPath(beside)}); run npm run build`);
}
