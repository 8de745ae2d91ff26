import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { CallSession } from '../../../src/calls/index.js';
import { createOffer, LocalMediaEngine, PortPool, WavCache, WorkerMediaEngine, type MediaEngine } from '../../../src/media/index.js';
import type { IncomingCall, SipDialog } from '../../../src/sip/index.js';

/** A dialog that only carries events (no SIP): digits arrive as INFO bodies. */
class FakeDialog extends EventEmitter {
  readonly callId = 'type-ahead@test';
  readonly localSdp = '';
  readonly remoteSdp = '';
  destroyed = false;
  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}

const ports = () => new PortPool({ min: 47000 + Math.floor(Math.random() * 500) * 4, max: 49998 });
const engines: [string, () => Promise<MediaEngine>][] = [
  ['media in this thread', async () => new LocalMediaEngine({ pool: ports() })],
  ['media in a media thread', () => WorkerMediaEngine.start({ threads: 1, pool: ports(), prompts: new WavCache(), logger: pino({ level: 'silent' }) })],
];

describe.each(engines)('CallSession type-ahead (%s)', (_name, makeEngine) => {
  let engine: MediaEngine;
  beforeAll(async () => (engine = await makeEngine()));
  afterAll(() => engine.close());

  async function session(): Promise<{ session: CallSession; dialog: FakeDialog }> {
    const dialog = new FakeDialog();
    const offer = createOffer({ address: '127.0.0.1', port: 9, origin: { sessionId: '1', sessionVersion: 1 } });
    const call = { callId: dialog.callId, sdpOffer: offer, accept: async () => dialog as unknown as SipDialog, reject: () => undefined } as unknown as IncomingCall;
    const s = await CallSession.answer(call, { engine, address: '127.0.0.1', inactivityTimeoutMs: 0, logger: pino({ level: 'silent' }) });
    return { session: s, dialog };
  }
  const press = (dialog: FakeDialog, digit: string) => dialog.emit('info', { contentType: 'application/dtmf-relay', content: `Signal=${digit}\r\nDuration=160\r\n` });

  test('a key pressed before a barge-in prompt starts ends that prompt at once', async () => {
    const { session: s, dialog } = await session();
    press(dialog, '#');
    await expect(s.play([{ kind: 'silence', durationMs: 5000 }], { bargeIn: true })).resolves.toEqual({ completed: false, interruptedBy: '#' });
    await s.hangup();
  });

  test('a prompt without barge-in ignores type-ahead, and a key is used once', async () => {
    const { session: s, dialog } = await session();
    press(dialog, '5');
    const plain = s.play([{ kind: 'silence', durationMs: 40 }]);
    await expect(plain).resolves.toEqual({ completed: true });
    await expect(s.play([{ kind: 'silence', durationMs: 5000 }], { bargeIn: true })).resolves.toEqual({ completed: false, interruptedBy: '5' });
    await expect(s.play([{ kind: 'silence', durationMs: 40 }], { bargeIn: true })).resolves.toEqual({ completed: true });
    await s.hangup();
  });
});
