import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How a thread asks to be scheduled. */
export type ThreadPriority = 'Realtime' | 'High' | 'Normal';

/** What a thread got, and why not more. */
export interface PriorityOutcome {
  applied: ThreadPriority;
  /** Why the asked-for priority was not applied (missing privilege, not Linux). */
  refused?: string;
}

/** SCHED_RR priority of media threads: above ordinary work, far below the kernel's own (50+). */
const REALTIME_PRIORITY = '10';
/** Nice value of threads at `High`. */
const HIGH_NICE = -10;

/** The calling thread's id: Linux's setpriority and sched_setscheduler take one and act on that thread alone. */
function thisThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/**
 * Sets the calling thread's scheduling priority, as FreeSWITCH (`-rp`) and Asterisk (`-p`) do for
 * their media: on a busy machine a runnable media thread otherwise waits milliseconds for a core, and
 * its 20 ms ticks go out late. `Realtime` is SCHED_RR (through util-linux's `chrt`, Node has no binding
 * for sched_setscheduler); the kernel's RT throttling still leaves 5 % of each CPU to everything else.
 * Each raise needs root or CAP_SYS_NICE (or an rtprio/nice rlimit); without it the thread falls back
 * one step at a time and says why. `Normal` leaves the thread as it is, or sets `normalNice`: a thread
 * inherits its creator's nice value (the main thread's −10 at `Server.MainThreadPriority: High`), and a
 * media thread at `Normal` goes back to the process's own. Linux only: elsewhere threads stay as they are.
 */
export function raiseThisThread(wanted: ThreadPriority, normalNice?: number): PriorityOutcome {
  const tid = thisThreadId();
  if (tid === undefined) return wanted === 'Normal' ? { applied: 'Normal' } : { applied: 'Normal', refused: 'thread priorities need Linux (/proc/thread-self)' };
  if (wanted === 'Normal') {
    if (normalNice !== undefined) setNice(tid, normalNice);
    return { applied: 'Normal' };
  }
  const reasons: string[] = [];
  if (wanted === 'Realtime') {
    const chrt = spawnSync('chrt', ['--rr', '-p', REALTIME_PRIORITY, String(tid)], { encoding: 'utf8' });
    if (chrt.status === 0) return { applied: 'Realtime' };
    reasons.push(`realtime: ${(chrt.stderr || chrt.error?.message || `chrt exited with ${chrt.status}`).trim()}`);
  }
  const refused = setNice(tid, HIGH_NICE);
  if (refused === undefined) return reasons.length > 0 ? { applied: 'High', refused: reasons.join('; ') } : { applied: 'High' };
  reasons.push(`high: ${refused}`);
  return { applied: 'Normal', refused: reasons.join('; ') };
}

/** The calling thread's nice value (Linux), for putting it back: undefined elsewhere. */
export function thisThreadNice(): number | undefined {
  const tid = thisThreadId();
  return tid === undefined ? undefined : getPriority(tid);
}

/** Sets the calling thread's nice value back (e.g. to what {@link thisThreadNice} said before a raise). */
export function restoreThisThreadNice(nice: number): void {
  const tid = thisThreadId();
  if (tid !== undefined) setNice(tid, nice);
}

/** Why not, or undefined when set. Lowering a priority (a higher nice) is always permitted. */
function setNice(tid: number, nice: number): string | undefined {
  try {
    setPriority(tid, nice);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
