import { MediaClock, type MediaTick } from '../../../src/media/media-clock.js';
import { FakeTimer } from './fake-timer.js';

describe('shared media clock', () => {
  test('ticks every 20 ms on an absolute timeline: a late timer shortens the next wait', () => {
    const timer = new FakeTimer();
    timer.lateness = 3;
    const clock = new MediaClock({ timer });
    const ticks: MediaTick[] = [];
    const unsubscribe = clock.subscribe((tick) => ticks.push(tick));
    timer.advance(20 * 50 + 5);
    expect(ticks).toHaveLength(50);
    ticks.forEach((tick, i) => {
      expect(tick.index).toBe(i + 1);
      expect(tick.ideal).toBe(1000 + 20 * (i + 1));
      expect(tick.actual - tick.ideal).toBe(3);
    });
    // First wait is the full period; later ones compensate the 3 ms lateness, so no drift.
    expect(timer.delays[0]).toBe(20);
    expect(timer.delays[1]).toBe(17);
    expect(clock.stats.pacingErrorMs).toEqual({ p50: 3, p99: 3, max: 3 });
    // Subscribers did no work in fake time: each tick was done the moment it started.
    expect(clock.stats.tickDoneErrorMs).toEqual({ p50: 3, p99: 3, max: 3 });
    unsubscribe();
    clock.close();
  });

  test('how late a tick is done: start lateness plus the time its subscribers took', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer });
    let work = 0;
    // Each tick's (simulated) sending takes 1, 2, 3 … ms.
    clock.subscribe(() => {
      work++;
      timer.time += work;
    });
    timer.advance(20 * 10);
    const { pacingErrorMs, tickDoneErrorMs } = clock.stats;
    expect(pacingErrorMs.max).toBe(0);
    expect(tickDoneErrorMs.max).toBe(10);
    expect(tickDoneErrorMs.p50).toBe(5);
    clock.close();
  });

  test('with a phase, ticks fall at the offset on the shared timeline', () => {
    const timer = new FakeTimer(); // starts at 1000
    const clock = new MediaClock({ timer, phase: { originMs: 0, offsetMs: 7 } });
    const ideals: number[] = [];
    clock.subscribe((tick) => ideals.push(tick.ideal));
    timer.advance(60);
    expect(ideals).toEqual([1007, 1027, 1047]);
    clock.close();
  });

  test('one timer for all subscribers', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer });
    const counts = [0, 0, 0];
    const unsubscribers = counts.map((_, i) => clock.subscribe(() => counts[i]!++));
    expect(timer.scheduled).toBe(1);
    timer.advance(100);
    expect(counts).toEqual([5, 5, 5]);
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    clock.close();
  });

  test('after a short stall runs the overdue ticks; after a long one skips beyond maxCatchUp', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer, maxCatchUp: 5 });
    const indexes: number[] = [];
    clock.subscribe((tick) => indexes.push(tick.index));
    timer.advance(20);
    expect(indexes).toEqual([1]);
    timer.stall(60); // event loop blocked for 3 periods
    timer.advance(0);
    expect(indexes).toEqual([1, 2, 3, 4]);
    timer.advance(20);
    expect(indexes).toEqual([1, 2, 3, 4, 5]);
    timer.stall(400); // 20 periods: 5 run back to back, 15 are skipped
    timer.advance(0);
    expect(indexes.slice(5)).toEqual([21, 22, 23, 24, 25]);
    expect(clock.stats.skipped).toBe(15);
    timer.advance(20);
    expect(indexes.at(-1)).toBe(26);
    expect(clock.stats.pacingErrorMs.max).toBe(80); // tick 21 was due at 1420, ran at 1500
    clock.close();
  });

  test('percentiles over the window', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer });
    clock.subscribe(() => undefined);
    for (let i = 0; i < 100; i++) {
      timer.lateness = i === 99 ? 9 : i % 2;
      timer.advance(20);
    }
    timer.lateness = 0;
    timer.advance(40);
    const { p50, p99, max } = clock.stats.pacingErrorMs;
    expect(p50).toBeLessThanOrEqual(1);
    expect(p99).toBeLessThanOrEqual(1);
    expect(max).toBe(9);
    clock.close();
  });

  test('stops its timer when the last subscriber leaves, restarts on the next', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer });
    const unsubscribe = clock.subscribe(() => undefined);
    unsubscribe();
    expect(timer.scheduled).toBe(0);
    let ticks = 0;
    clock.subscribe(() => ticks++);
    timer.advance(40);
    expect(ticks).toBe(2);
    clock.close();
    expect(timer.scheduled).toBe(0);
    expect(() => clock.subscribe(() => undefined)).toThrow(expect.objectContaining({ code: 'OPENUM_MEDIA_INVALID_STATE' }));
    clock.close();
  });

  test('a throwing subscriber is reported and does not stop the others', () => {
    const timer = new FakeTimer();
    const errors: unknown[] = [];
    const clock = new MediaClock({ timer, onSubscriberError: (error) => errors.push(error) });
    let ticks = 0;
    clock.subscribe(() => {
      throw new Error('boom');
    });
    clock.subscribe(() => ticks++);
    timer.advance(60);
    expect(ticks).toBe(3);
    expect(errors).toHaveLength(3);
    expect(clock.stats.subscriberErrors).toBe(3);
    clock.close();
  });

  test('a subscriber that leaves during a tick does not get later ticks', () => {
    const timer = new FakeTimer();
    const clock = new MediaClock({ timer });
    let ticks = 0;
    const unsubscribe = clock.subscribe(() => {
      ticks++;
      unsubscribe();
    });
    timer.advance(100);
    expect(ticks).toBe(1);
    expect(timer.scheduled).toBe(0);
    clock.close();
  });
});
