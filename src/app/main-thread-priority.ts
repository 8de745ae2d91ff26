import type { Logger } from 'pino';
import { raiseThisThread, restoreThisThreadNice, thisThreadNice } from '../media/index.js';
import type { ThreadPriority } from '../media/index.js';

/** What `Server.MainThreadPriority` got, and how to put the thread back. */
export interface MainThreadScheduling {
  /** The priority in force. */
  readonly applied: ThreadPriority;
  /** The thread's nice value before (the process's own): threads it starts inherit the raised one. */
  readonly baseline: number | undefined;
  /** Back to the nice value the thread had before (an embedding's thread, a test's). */
  restore(): void;
}

/**
 * Raises the thread that runs SIP, HTTP and the store (`Server.MainThreadPriority`). Its requests wait
 * behind whatever else shares the cores — on a 2-core box a co-located load generator or SIPp left it
 * ~40 % of its run time waiting for a core (profiled, Play on Phone at 200/s); FreeSWITCH (`-hp`) and
 * Asterisk (`-p`) raise their signalling the same way. Only `High` (nice −10), never realtime: child
 * processes (ffmpeg) and threads started later inherit the thread's scheduling.
 */
export function raiseMainThread(wanted: 'High' | 'Normal', logger: Logger): MainThreadScheduling {
  const before = thisThreadNice();
  const outcome = raiseThisThread(wanted);
  if (outcome.applied === wanted) logger.info({ priority: outcome.applied }, 'main thread scheduled');
  else logger.warn({ wanted, applied: outcome.applied, reason: outcome.refused }, 'the main thread runs at a lower priority than asked: SIP and HTTP answers wait longer on a busy machine');
  let restored = false;
  return {
    applied: outcome.applied,
    baseline: before,
    restore: () => {
      if (restored || before === undefined) return;
      restored = true;
      restoreThisThreadNice(before);
    },
  };
}
