import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How a media thread asks to be scheduled. */
export type MediaThreadPriority = 'Realtime' | 'High' | 'Normal';

/** What a thread got, and why not more. */
export interface PriorityOutcome {
  applied: MediaThreadPriority;
  /** Why the asked-for priority was not applied (missing privilege, not Linux). */
  refused?: string;
}

/** SCHED_RR priority of media threads: above ordinary work, far below the kernel's own (50+). */
const REALTIME_PRIORITY = '10';
/** Nice value of media threads at `High`. */
const HIGH_NICE = -10;

/**
 * Raises the calling thread's scheduling priority, as FreeSWITCH (`-rp`) and Asterisk (`-p`) do for
 * their media: on a busy machine a runnable media thread otherwise waits milliseconds for a core, and
 * its 20 ms ticks go out late. `Realtime` is SCHED_RR (through util-linux's `chrt`, Node has no binding
 * for sched_setscheduler); the kernel's RT throttling still leaves 5 % of each CPU to everything else.
 * Each step needs root or CAP_SYS_NICE (or an rtprio/nice rlimit); without it the thread falls back
 * one step at a time and says why. Linux only: elsewhere threads stay at `Normal`.
 */
export function raiseThisThread(wanted: MediaThreadPriority): PriorityOutcome {
  if (wanted === 'Normal') return { applied: 'Normal' };
  let tid: number;
  try {
    // Linux's setpriority and sched_setscheduler take a thread id and act on that thread alone.
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return { applied: 'Normal', refused: 'thread priorities need Linux (/proc/thread-self)' };
  }
  const reasons: string[] = [];
  if (wanted === 'Realtime') {
    const chrt = spawnSync('chrt', ['--rr', '-p', REALTIME_PRIORITY, String(tid)], { encoding: 'utf8' });
    if (chrt.status === 0) return { applied: 'Realtime' };
    reasons.push(`realtime: ${(chrt.stderr || chrt.error?.message || `chrt exited with ${chrt.status}`).trim()}`);
  }
  try {
    setPriority(tid, HIGH_NICE);
    return reasons.length > 0 ? { applied: 'High', refused: reasons.join('; ') } : { applied: 'High' };
  } catch (error) {
    reasons.push(`high: ${(error as Error).message}`);
    return { applied: 'Normal', refused: reasons.join('; ') };
  }
}
