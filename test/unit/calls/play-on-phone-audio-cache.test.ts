import { MessageAudioCache } from '../../../src/calls/play-on-phone/message-audio-cache.js';

describe('MessageAudioCache', () => {
  test('loads a message once, keeps the most recently used within the bound, and forgets failed loads', async () => {
    const cache = new MessageAudioCache(100);
    const loads: string[] = [];
    const load = (id: string, n: number) => () => {
      loads.push(id);
      return Promise.resolve(new Int16Array(n));
    };
    expect((await cache.get({ id: 'a' }, load('a', 40))).length).toBe(40);
    expect((await cache.get({ id: 'a' }, load('a', 40))).length).toBe(40);
    await cache.get({ id: 'b' }, load('b', 40));
    await cache.get({ id: 'a' }, load('a', 40)); // a is now the most recent
    await cache.get({ id: 'c' }, load('c', 40)); // 120 > 100: b, the least recent, goes
    expect(cache.size).toBe(80);
    await cache.get({ id: 'a' }, load('a', 40));
    await cache.get({ id: 'b' }, load('b', 40));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
    await expect(cache.get({ id: 'x' }, () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
    await cache.get({ id: 'x' }, load('x', 10));
    expect(loads.at(-1)).toBe('x');
    // Larger than the whole cache: played, not kept.
    await cache.get({ id: 'huge' }, load('huge', 1000));
    await cache.get({ id: 'huge' }, load('huge', 1000));
    expect(loads.filter((id) => id === 'huge')).toHaveLength(2);
  });
});
