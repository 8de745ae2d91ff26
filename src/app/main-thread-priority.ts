import type { Logger } from 'pino';
import { raiseThisThread, restoreThisThreadNice, thisThreadNice } from '../media/index.js';
import type { ThreadPriority } from '../media/index.js';

/** What `Server.MainThreadPriority` got, and how to let go of it. */
export interface MainThreadScheduling {
  /** The priority in force. */
  readonly applied: ThreadPriority;
  /** The thread's nice value before (the process's own): threads it starts inherit the raised one. */
  readonly baseline: number | undefined;
  /** This holder is done; the last one puts the thread back (an embedding's thread, a test's). Idempotent. */
  restore(): void;
}

/** The thread's raise is shared by every server it runs (tests and embeddings run several). */
let shared: { applied: ThreadPriority; baseline: number | undefined; holders: number } | undefined;

/**
 * Raises the thread that runs SIP, HTTP and the store (`Server.MainThreadPriority`). Its requests wait
 * behind whatever else shares the cores — on a 2-core box a co-located load generator or SIPp left it
 * ~40 % of its run time waiting for a core (profiled, Play on Phone at 200/s); FreeSWITCH (`-hp`) and
 * Asterisk (`-p`) raise their signalling the same way. Only `High` (nice −10), never realtime: child
 * processes (ffmpeg) and threads started later inherit the thread's scheduling. `Normal` leaves the
 * thread as started (e.g. under `nice`). The first server on a thread sets it; the last to close puts
 * it back.
 */
export function raiseMainThread(wanted: 'High' | 'Normal', logger: Logger): MainThreadScheduling {
  if (shared === undefined) {
    const baseline = thisThreadNice();
    const outcome = raiseThisThread(wanted);
    if (outcome.applied === wanted) logger.info({ priority: outcome.applied }, 'main thread scheduled');
    else logger.warn({ wanted, applied: outcome.applied, reason: outcome.refused }, 'the main thread runs at a lower priority than asked: SIP and HTTP answers wait longer on a busy machine');
    shared = { applied: outcome.applied, baseline, holders: 0 };
  } else if (shared.applied !== wanted) {
    logger.warn({ wanted, applied: shared.applied }, 'another server on this thread set its priority first; kept');
  }
  const held = shared;
  held.holders++;
  let released = false;
  return {
    applied: held.applied,
    baseline: held.baseline,
    restore: () => {
      if (released) return;
      released = true;
      if (--held.holders > 0 || shared !== held) return;
      shared = undefined;
      if (held.baseline !== undefined) restoreThisThreadNice(held.baseline);
    },
  };
}
