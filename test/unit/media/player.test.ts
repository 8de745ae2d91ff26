import { Player, PlayerState } from '../../../src/media/player.js';
import { WavCache } from '../../../src/media/wav-cache.js';

/** 0, 1, 2, … as samples, so frames show exactly which samples they carry. */
function ramp(length: number, start = 1): Int16Array {
  return Int16Array.from({ length }, (_, i) => start + i);
}

/** Reads frames until the player has nothing (bounded). */
function drain(player: Player, limit = 1000): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < limit; i++) {
    const frame = player.readFrame();
    if (frame === undefined) return frames;
    frames.push(frame);
  }
  throw new Error('player never ran dry');
}

/** Whether a promise has settled, after letting pending callbacks run. */
async function settled<T>(promise: Promise<T>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('player (synchronous core)', () => {
  test('plays PCM frame by frame, pads the last frame with silence, resolves after it', async () => {
    const player = new Player();
    const result = player.play([{ kind: 'pcm', samples: ramp(400) }]);
    expect(player.state).toBe(PlayerState.Playing);
    const first = player.readFrame();
    const second = player.readFrame();
    expect(first?.length).toBe(160);
    expect(first?.[0]).toBe(1);
    expect(second?.[0]).toBe(161);
    expect(await settled(result)).toBe(false);
    const last = player.readFrame();
    expect(last?.subarray(0, 80)).toEqual(ramp(80, 321));
    expect(last?.subarray(80).every((sample) => sample === 0)).toBe(true);
    await expect(result).resolves.toEqual({ completed: true });
    expect(player.readFrame()).toBeUndefined();
    expect(player.state).toBe(PlayerState.Idle);
    expect(player.stats).toMatchObject({ framesPlayed: 3, paddedSamples: 80, plays: 1, completed: 1 });
  });

  test('items run together without gaps; only the end is padded', async () => {
    const player = new Player();
    const result = player.play([
      { kind: 'pcm', samples: ramp(100, 1) },
      { kind: 'pcm', samples: new Int16Array(0) },
      { kind: 'pcm', samples: ramp(100, 1001) },
      { kind: 'silence', durationMs: 20 },
    ]);
    const frames = drain(player);
    expect(frames).toHaveLength(3); // 100 + 100 + 160 samples = 360 → 3 frames
    expect(Array.from(frames[0] ?? [])).toEqual([...ramp(100, 1), ...ramp(60, 1001)]);
    expect(Array.from(frames[1]?.subarray(0, 40) ?? [])).toEqual(Array.from(ramp(40, 1061)));
    expect(frames[1]?.subarray(40).every((s) => s === 0)).toBe(true);
    await expect(result).resolves.toEqual({ completed: true });
    expect(player.stats.paddedSamples).toBe(120);
  });

  test('tones are generated and played; a 250 ms beep is 13 frames', async () => {
    const player = new Player();
    const result = player.play([{ kind: 'tone' }]);
    const frames = drain(player);
    expect(frames).toHaveLength(13); // 2000 samples
    expect(frames[5]?.some((sample) => Math.abs(sample) > 5000)).toBe(true);
    await expect(result).resolves.toEqual({ completed: true });
  });

  test('with barge-in a digit ends the play at once and resolves with it', async () => {
    const player = new Player();
    const result = player.play([{ kind: 'silence', durationMs: 1000 }], { bargeIn: true });
    player.readFrame();
    player.readFrame();
    expect(player.interrupt('5')).toBe(true);
    expect(player.readFrame()).toBeUndefined();
    await expect(result).resolves.toEqual({ completed: false, interruptedBy: '5' });
    expect(player.stats).toMatchObject({ framesPlayed: 2, interrupted: 1 });
    expect(player.interrupt('6')).toBe(false);
  });

  test('without barge-in digits are ignored and the play completes', async () => {
    const player = new Player();
    const result = player.play([{ kind: 'silence', durationMs: 100 }]);
    player.readFrame();
    expect(player.interrupt('#')).toBe(false);
    expect(drain(player)).toHaveLength(4);
    await expect(result).resolves.toEqual({ completed: true });
  });

  test('stop ends the play as not completed; a new play may follow', async () => {
    const player = new Player();
    const first = player.play([{ kind: 'silence', durationMs: 1000 }]);
    player.readFrame();
    player.stop();
    player.stop();
    await expect(first).resolves.toEqual({ completed: false });
    const second = player.play([{ kind: 'pcm', samples: ramp(160) }]);
    expect(player.readFrame()?.[0]).toBe(1);
    await expect(second).resolves.toEqual({ completed: true });
    expect(player.stats).toMatchObject({ plays: 2, stopped: 1, completed: 1 });
  });

  test('a second play while one runs is a state error; the first goes on', async () => {
    const player = new Player();
    const first = player.play([{ kind: 'silence', durationMs: 40 }]);
    await expect(player.play([{ kind: 'silence', durationMs: 20 }])).rejects.toMatchObject({ code: 'OPENUM_MEDIA_INVALID_STATE' });
    expect(drain(player)).toHaveLength(2);
    await expect(first).resolves.toEqual({ completed: true });
  });

  test('an empty play completes without a frame', async () => {
    const player = new Player();
    await expect(player.play([])).resolves.toEqual({ completed: true });
    await expect(player.play([{ kind: 'silence', durationMs: 0 }])).resolves.toEqual({ completed: true });
    expect(player.readFrame()).toBeUndefined();
    expect(player.stats.framesPlayed).toBe(0);
  });

  test('a bad item rejects the play as a bad argument and leaves the player idle', async () => {
    const player = new Player();
    await expect(player.play([{ kind: 'tone', frequencyHz: 5000 }])).rejects.toMatchObject({ code: 'OPENUM_MEDIA_BAD_ARGUMENT' });
    expect(player.state).toBe(PlayerState.Idle);
  });

  test('close ends the current play and refuses new ones', async () => {
    const player = new Player();
    const result = player.play([{ kind: 'silence', durationMs: 1000 }]);
    player.close();
    player.close();
    await expect(result).resolves.toEqual({ completed: false });
    expect(player.state).toBe(PlayerState.Closed);
    expect(player.readFrame()).toBeUndefined();
    await expect(player.play([])).rejects.toMatchObject({ code: 'OPENUM_MEDIA_INVALID_STATE' });
  });
});

describe('player with files', () => {
  function deferredCache(): { cache: WavCache; finish: (samples: Int16Array | Error) => void; reads: string[] } {
    const reads: string[] = [];
    let finish: (samples: Int16Array | Error) => void = () => undefined;
    const cache = new WavCache({
      load: (path) => {
        reads.push(path);
        return new Promise((resolve, reject) => {
          finish = (value) => (value instanceof Error ? reject(value) : resolve(value));
        });
      },
    });
    return { cache, reads, finish: (value) => finish(value) };
  }

  test('is silent (undefined) while the file loads, then plays it after the other items', async () => {
    const { cache, finish, reads } = deferredCache();
    const player = new Player({ cache });
    const result = player.play([{ kind: 'pcm', samples: ramp(160) }, { kind: 'file', path: '/prompts/vm-greeting.wav' }]);
    expect(player.state).toBe(PlayerState.Loading);
    expect(player.readFrame()).toBeUndefined();
    finish(ramp(160, 5000));
    await settled(result);
    expect(player.state).toBe(PlayerState.Playing);
    const frames = drain(player);
    expect(frames.map((frame) => frame[0])).toEqual([1, 5000]);
    await expect(result).resolves.toEqual({ completed: true });
    expect(reads).toEqual(['/prompts/vm-greeting.wav']);
  });

  test('a file that cannot be read rejects the play', async () => {
    const { cache, finish } = deferredCache();
    const player = new Player({ cache });
    const result = player.play([{ kind: 'file', path: '/prompts/missing.wav' }]);
    finish(new Error('ENOENT'));
    await expect(result).rejects.toThrow('ENOENT');
    expect(player.state).toBe(PlayerState.Idle);
    expect(player.stats.failed).toBe(1);
  });

  test('a barge-in during loading ends the play; the late file is not played', async () => {
    const { cache, finish } = deferredCache();
    const player = new Player({ cache });
    const result = player.play([{ kind: 'file', path: '/prompts/menu.wav' }], { bargeIn: true });
    expect(player.interrupt('1')).toBe(true);
    await expect(result).resolves.toEqual({ completed: false, interruptedBy: '1' });
    finish(ramp(320));
    const next = player.play([{ kind: 'pcm', samples: ramp(160, 77) }]);
    await settled(next);
    expect(player.readFrame()?.[0]).toBe(77);
    expect(player.readFrame()).toBeUndefined();
    await expect(next).resolves.toEqual({ completed: true });
  });
});
