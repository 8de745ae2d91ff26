import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredMessage } from '../../../src/mailbox/message-types.js';
import { PendingMessage } from '../../../src/mailbox/pending-message.js';
import type { MessageRecording } from '../../../src/mailbox/recording-port.js';

/** A recording that notes what it was asked to do. */
function fakeRecording(): MessageRecording & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    path: '/spool/x.wav',
    write: (samples) => void calls.push(`write ${samples.length}`),
    trimTo: async (samples) => void calls.push(`trimTo ${samples}`),
    close: async () => void calls.push('close'),
    discard: async () => void calls.push('discard'),
  };
}

describe('PendingMessage.commit (spec §3.2 step 4)', () => {
  let dir: string;
  let sidecar: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openum-pending-'));
    sidecar = join(dir, 'x.json');
    writeFileSync(sidecar, '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function pending(recording: MessageRecording, delivered: string[]) {
    return new PendingMessage({
      id: 'x', mailbox: 'kim', codec: 'Mp3', recording, sidecarPath: sidecar,
      context: { deliver: async (id) => { delivered.push(id); return { id } as StoredMessage; }, logger: undefined },
    });
  }

  test('≥ 1 s voiced: trims the trailing silence, commits the master, then queues delivery', async () => {
    const recording = fakeRecording();
    const delivered: string[] = [];
    const message = pending(recording, delivered);
    const committed = await message.commit({ voicedMs: 1000, samples: 48_000, trailingSilenceSamples: 40_000 });
    expect(recording.calls).toEqual(['trimTo 8000', 'close']);
    expect(committed).toMatchObject({ id: 'x', mailbox: 'kim', codec: 'Mp3', durationMs: 1000 });
    await expect(committed!.delivered).resolves.toEqual({ id: 'x' });
    expect(delivered).toEqual(['x']);
    expect(message.state).toBe('committed');
    expect(existsSync(sidecar)).toBe(true); // delivery removes it, after the row
  });

  test('under 1 s voiced: discarded, sidecar removed, nothing delivered', async () => {
    const recording = fakeRecording();
    const delivered: string[] = [];
    const message = pending(recording, delivered);
    expect(await message.commit({ voicedMs: 999, samples: 80_000, trailingSilenceSamples: 0 })).toBeUndefined();
    expect(recording.calls).toEqual(['discard']);
    expect(existsSync(sidecar)).toBe(false);
    expect(delivered).toEqual([]);
    expect(message.state).toBe('discarded');
  });

  test('commit twice, or discard after commit, is a state error', async () => {
    const message = pending(fakeRecording(), []);
    await message.commit({ voicedMs: 2000, samples: 16_000, trailingSilenceSamples: 0 });
    await expect(message.commit({ voicedMs: 2000, samples: 16_000, trailingSilenceSamples: 0 })).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_INVALID_STATE' });
    await expect(message.discard()).rejects.toMatchObject({ code: 'OPENUM_MAILBOX_INVALID_STATE' });
  });

  test('a failed master commit leaves the sidecar for recovery and rejects', async () => {
    const recording = { ...fakeRecording(), close: async () => { throw new Error('disk full'); } };
    const message = pending(recording, []);
    await expect(message.commit({ voicedMs: 2000, samples: 16_000, trailingSilenceSamples: 0 })).rejects.toThrow('disk full');
    expect(existsSync(sidecar)).toBe(true);
  });
});
