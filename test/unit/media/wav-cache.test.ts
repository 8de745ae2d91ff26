import { WavCache } from '../../../src/media/wav-cache.js';

/** A loader whose reads the test completes by hand. */
function manualLoader(): { load: (path: string) => Promise<Int16Array>; calls: string[]; settle: (path: string, result: Int16Array | Error) => void } {
  const calls: string[] = [];
  const waiting = new Map<string, { resolve: (samples: Int16Array) => void; reject: (error: Error) => void }>();
  return {
    calls,
    load: (path) => {
      calls.push(path);
      return new Promise((resolve, reject) => waiting.set(path, { resolve, reject }));
    },
    settle: (path, result) => {
      const entry = waiting.get(path);
      if (!entry) throw new Error(`no read of ${path} pending`);
      waiting.delete(path);
      if (result instanceof Error) entry.reject(result);
      else entry.resolve(result);
    },
  };
}

describe('WAV cache', () => {
  test('concurrent requests share one read; later ones are hits', async () => {
    const loader = manualLoader();
    const cache = new WavCache({ load: loader.load });
    const first = cache.get('/p/a.wav');
    const second = cache.get('/p/a.wav');
    loader.settle('/p/a.wav', new Int16Array(10));
    expect(await first).toBe(await second);
    expect(await cache.get('/p/a.wav')).toBe(await first);
    expect(loader.calls).toEqual(['/p/a.wav']);
    expect(cache.stats).toEqual({ hits: 2, misses: 1, entries: 1, samples: 10 });
  });

  test('a failed read is forgotten, so the next request reads again', async () => {
    const loader = manualLoader();
    const cache = new WavCache({ load: loader.load });
    const failing = cache.get('/p/missing.wav');
    loader.settle('/p/missing.wav', new Error('ENOENT'));
    await expect(failing).rejects.toThrow('ENOENT');
    const retry = cache.get('/p/missing.wav');
    loader.settle('/p/missing.wav', new Int16Array(4));
    expect((await retry).length).toBe(4);
    expect(loader.calls).toEqual(['/p/missing.wav', '/p/missing.wav']);
  });

  test('beyond maxSamples the least recently used files go', async () => {
    const cache = new WavCache({ maxSamples: 250, load: async (path) => new Int16Array(path.length * 10) });
    await cache.get('aaaaaaaaaa'); // 100 samples
    await cache.get('bbbbbbbbbb'); // 100
    await cache.get('aaaaaaaaaa'); // a is now the most recent
    await cache.get('cccccccccc'); // 300 > 250: b goes first
    expect(cache.stats).toMatchObject({ entries: 2, samples: 200, misses: 3 });
    await cache.get('aaaaaaaaaa');
    expect(cache.stats.misses).toBe(3);
    await cache.get('bbbbbbbbbb');
    expect(cache.stats.misses).toBe(4);
  });

  test('delete and clear forget files', async () => {
    const cache = new WavCache({ load: async () => new Int16Array(8) });
    await cache.get('x');
    await cache.get('y');
    cache.delete('x');
    expect(cache.stats).toMatchObject({ entries: 1, samples: 8 });
    cache.clear();
    expect(cache.stats).toMatchObject({ entries: 0, samples: 0 });
  });
});
