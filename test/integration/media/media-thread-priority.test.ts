import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { pino } from 'pino';
import { PortPool } from '../../../src/media/port-pool.js';
import type { ThreadPriority } from '../../../src/media/thread-priority.js';
import { WavCache } from '../../../src/media/wav-cache.js';
import { WorkerMediaEngine } from '../../../src/media/worker-media-engine.js';

/** Scheduling of every thread of this process: policy (0 normal, 2 SCHED_RR) and nice, from /proc. */
function threadScheduling(): { tid: number; policy: number; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { tid: Number(tid), nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}

const privileged = process.getuid?.() === 0;

describe('media thread priority (Linux)', () => {
  async function withEngine(priority: ThreadPriority, check: (logs: Record<string, unknown>[]) => void): Promise<void> {
    const logs: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
    const before = new Set(threadScheduling().map((t) => t.tid));
    const engine = await WorkerMediaEngine.start({ threads: 2, pool: new PortPool({ min: 30000, max: 30100 }), prompts: new WavCache(), logger, priority });
    try {
      const added = threadScheduling().filter((t) => !before.has(t.tid));
      check(logs);
      const realtime = added.filter((t) => t.policy === 2);
      const raised = added.filter((t) => t.nice < 0);
      if (priority === 'Normal') {
        expect(realtime).toHaveLength(0);
        expect(raised).toHaveLength(0);
      } else if (privileged && priority === 'Realtime') {
        // Exactly the two media threads, not the helper threads Node starts with a worker.
        expect(realtime).toHaveLength(2);
      } else if (privileged) {
        expect(raised.map((t) => t.nice)).toEqual([-10, -10]);
      }
    } finally {
      await engine.close();
    }
  }

  test('Realtime: the media threads run SCHED_RR (or say why not)', async () => {
    await withEngine('Realtime', (logs) => {
      const note = logs.find((l) => l['msg'] === 'media threads scheduled' || String(l['msg']).startsWith('media threads run at a lower priority'));
      expect(note).toBeDefined();
      if (privileged) expect(note).toMatchObject({ msg: 'media threads scheduled', priority: 'Realtime' });
      else expect(note).toMatchObject({ wanted: 'Realtime', reason: expect.any(String) });
    });
  });

  test('High: nice −10', async () => {
    await withEngine('High', (logs) => expect(logs.some((l) => l['priority'] === 'High' || l['wanted'] === 'High')).toBe(true));
  });

  test('Normal with normalNice puts back the process\'s nice value, which a thread inherits raised from the main thread (at Server.MainThreadPriority: High)', async () => {
    if (!privileged) return expect(privileged).toBe(false); // raising the creator's priority needs CAP_SYS_NICE
    setPriority(process.pid, -10);
    try {
      const before = new Set(threadScheduling().map((t) => t.tid));
      const engine = await WorkerMediaEngine.start({ threads: 2, pool: new PortPool({ min: 30000, max: 30100 }), prompts: new WavCache(), logger: pino({ level: 'silent' }), priority: 'Normal', normalNice: 0 });
      try {
        const added = threadScheduling().filter((t) => !before.has(t.tid));
        // The two media threads: started by a thread at −10, they would inherit it.
        expect(added.map((t) => t.nice)).toEqual([0, 0]);
      } finally {
        await engine.close();
      }
    } finally {
      setPriority(process.pid, 0);
    }
  });

  test('Normal: left alone', async () => {
    await withEngine('Normal', (logs) => expect(logs.find((l) => l['msg'] === 'media threads scheduled')).toMatchObject({ priority: 'Normal' }));
  });
});
