import { getPriority, setPriority } from 'node:os';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { rtpPortBase, startOpenum, testSiteYaml } from '../../support/openum-under-test.js';

// Jest runs this file on its worker's main thread, the thread openum serves from: its nice value is
// the one Server.MainThreadPriority sets (Linux: setpriority on a thread id acts on that thread).
const privileged = process.getuid?.() === 0;
const mainThreadNice = (): number => getPriority(process.pid);

/** Runs `body` with the thread at `nice` (only root may set a value below the current one), then back at 0. */
async function atNice(nice: number, body: () => Promise<void>): Promise<void> {
  if (privileged) setPriority(process.pid, nice);
  try {
    await body();
  } finally {
    if (privileged) setPriority(process.pid, 0);
  }
}

describe('Server.MainThreadPriority (the thread of SIP, HTTP and the store)', () => {
  const health = async (openum: OpenumUnderTest) => (await (await fetch(`http://127.0.0.1:${openum.server.httpPort}/healthz`)).json()) as { mainThreadPriority: string };

  test('High (the default): nice −10 while serving, /healthz says so, and the thread is put back where it was at stop', async () => {
    // Where it was, not 0: an embedding's thread may have had its own value.
    await atNice(-3, async () => {
      const before = mainThreadNice();
      const openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(2) }));
      try {
        const report = await health(openum);
        if (privileged) {
          expect(report.mainThreadPriority).toBe('High');
          expect(mainThreadNice()).toBe(-10);
        } else {
          // Without CAP_SYS_NICE the raise is refused and said so; nothing changes.
          expect(report.mainThreadPriority).toBe('Normal');
          expect(mainThreadNice()).toBe(before);
        }
      } finally {
        await openum.stop();
      }
      expect(mainThreadNice()).toBe(before);
    });
  }, 30000);

  test('two servers on one thread: the first to stop leaves it raised for the other; the last puts it back', async () => {
    await atNice(0, async () => {
      const first = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(2) }));
      let second: OpenumUnderTest | undefined;
      try {
        second = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(3) }));
        const raised = privileged ? -10 : 0;
        expect(mainThreadNice()).toBe(raised);
        await first.stop();
        expect(mainThreadNice()).toBe(raised);
        expect((await health(second)).mainThreadPriority).toBe(privileged ? 'High' : 'Normal');
      } finally {
        await first.stop();
        await second?.stop();
      }
      expect(mainThreadNice()).toBe(0);
    });
  }, 30000);

  test('Normal: the thread is left as it is (e.g. `nice -n 5 openum serve`), and /healthz says Normal', async () => {
    // Lowering a priority needs no privilege, but only root can raise it back afterwards.
    const set = privileged ? 5 : mainThreadNice();
    await atNice(set, async () => {
      const openum = await startOpenum(testSiteYaml({ rtpPortMin: rtpPortBase(2), mainThreadPriority: 'Normal' }));
      try {
        expect((await health(openum)).mainThreadPriority).toBe('Normal');
        expect(mainThreadNice()).toBe(set);
      } finally {
        await openum.stop();
      }
      expect(mainThreadNice()).toBe(set);
    });
  }, 30000);
});
