import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PlayOnPhoneClosedError, PlayOnPhoneRefusedError, PlayOnPhoneService } from '../../../src/calls/play-on-phone/index.js';
import type { OutboundCaller, PlayOnPhoneServiceOptions } from '../../../src/calls/play-on-phone/index.js';
import { Directory } from '../../../src/directory/index.js';
import type { StoredMessage } from '../../../src/mailbox/index.js';
import { LocalMediaEngine, PortPool, writeWavFile } from '../../../src/media/index.js';
import type { OutboundCallOptions, SipDialog } from '../../../src/sip/index.js';
import { SipCallFailedError } from '../../../src/sip/index.js';
import type { TestGateway } from '../../support/play-on-phone-setup.js';
import { playOnPhoneConfiguration, playOnPhoneRtpPorts } from '../../support/play-on-phone-setup.js';

/** An INVITE the fake SIP layer was asked to send, and how to end it. */
interface PlacedCall {
  options: OutboundCallOptions;
  fail(statusCode: number, reasonPhrase: string, noAnswer?: boolean): void;
}

/** A SIP layer that records INVITEs; each stays pending until the test ends it or its signal aborts. */
class FakeCaller implements OutboundCaller {
  readonly placed: PlacedCall[] = [];

  createCall(options: OutboundCallOptions): Promise<SipDialog> {
    return new Promise((_resolve, reject) => {
      const fail = (statusCode: number, reasonPhrase: string, noAnswer = false) => reject(new SipCallFailedError({ statusCode, reasonPhrase, noAnswer }));
      options.signal?.addEventListener('abort', () => fail(487, 'Request Terminated'), { once: true });
      this.placed.push({ options, fail });
    });
  }
}

function message(id: string, mailbox: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  const at = new Date('2026-01-01T10:00:00Z');
  return {
    id, mailbox, caller: null, callerName: null, receivedAt: at, durationMs: 500, codec: 'G711', audioPath: 'message.wav', sizeBytes: 8044,
    urgent: false, recovered: false, callId: null, state: 'new', createdAt: at, updatedAt: at, ...extra,
  };
}

const KIM_MESSAGE = '00000000-0000-4000-8000-000000000001';
const ERIN_MESSAGE = '00000000-0000-4000-8000-000000000002';
const DELETED = '00000000-0000-4000-8000-000000000003';
const NO_AUDIO = '00000000-0000-4000-8000-000000000004';
const SAM_MESSAGE = '00000000-0000-4000-8000-000000000005';

describe('PlayOnPhoneService (fake SIP layer, real media ports)', () => {
  let dir: string;
  let engine: LocalMediaEngine;
  let caller: FakeCaller;
  let service: PlayOnPhoneService;
  const messages = new Map<string, StoredMessage>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openum-pop-unit-'));
    await writeWavFile(join(dir, 'message.wav'), new Int16Array(4000).fill(1000));
    messages.set(KIM_MESSAGE, message(KIM_MESSAGE, 'kim'));
    messages.set(ERIN_MESSAGE, message(ERIN_MESSAGE, 'erin'));
    messages.set(DELETED, message(DELETED, 'kim', { state: 'deleted' }));
    messages.set(NO_AUDIO, message(NO_AUDIO, 'kim', { audioPath: 'missing.wav' }));
    messages.set(SAM_MESSAGE, message(SAM_MESSAGE, 'sam'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function build(gateways: TestGateway[] = [{ name: 'Gw', port: 5070 }, { name: 'LyncGw', port: 5072, transport: 'TCP', dialPlans: ['Lync'] }], extra: Partial<PlayOnPhoneServiceOptions> = {}) {
    engine = new LocalMediaEngine({ pool: new PortPool(playOnPhoneRtpPorts()) });
    caller = new FakeCaller();
    const logger = pino({ level: 'silent' });
    service = new PlayOnPhoneService({
      directory: new Directory(playOnPhoneConfiguration(dir, gateways)),
      sip: caller,
      media: { engine, address: '127.0.0.1', inactivityTimeoutMs: 0, logger },
      messages: { store: { getMessage: (id) => Promise.resolve(messages.get(id)) }, audioFilePath: (m) => join(dir, m.audioPath) },
      logger,
      noAnswerTimeoutMs: 4321,
      ...extra,
    });
  }

  afterEach(() => {
    service?.close();
    void engine?.close();
  });

  async function refusal(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(PlayOnPhoneRefusedError);
      return (error as PlayOnPhoneRefusedError).refusal;
    }
    return 'started';
  }

  async function until(condition: () => boolean, limitMs = 5000): Promise<void> {
    const deadline = Date.now() + limitMs;
    for (let i = 0; i < 1000 && !condition() && Date.now() < deadline; i++) await new Promise((r) => setTimeout(r, 10));
    expect(condition()).toBe(true);
  }

  test('gates: AllowPlayOnPhone off in the policy, PlayOnPhoneEnabled off on the mailbox, or no such user → user-not-um-enabled, nothing dialed', async () => {
    build();
    const request = { messageId: KIM_MESSAGE, dialString: '425-555-1234' };
    expect(await refusal(service.start({ alias: 'pat', ...request }))).toBe('user-not-um-enabled');
    expect(await refusal(service.start({ alias: 'lee', ...request }))).toBe('user-not-um-enabled');
    expect(await refusal(service.start({ alias: 'nobody', ...request }))).toBe('user-not-um-enabled');
    expect(caller.placed).toEqual([]);
  });

  test('the message must be the user’s own and not deleted (item-not-found); unreadable audio is request-failed', async () => {
    build();
    const start = (messageId: string) => service.start({ alias: 'kim', messageId, dialString: '425-555-1234' });
    expect(await refusal(start(ERIN_MESSAGE))).toBe('item-not-found');
    expect(await refusal(start(DELETED))).toBe('item-not-found');
    expect(await refusal(start('00000000-0000-4000-8000-00000000ffff'))).toBe('item-not-found');
    expect(await refusal(start('not-an-id'))).toBe('item-not-found');
    expect(await refusal(start(NO_AUDIO))).toBe('request-failed');
    expect(caller.placed).toEqual([]);
    expect(service.liveCalls).toBe(0);
  });

  test('a denied number is refused and never dialed', async () => {
    build();
    expect(await refusal(service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '+44 20 7946 0018' }))).toBe('invalid-phone-number');
    expect(caller.placed).toEqual([]);
  });

  test('no enabled outcall gateway for the user’s dial plan → request-failed', async () => {
    build([{ name: 'LyncOnly', port: 5070, dialPlans: ['Lync'] }, { name: 'NoOut', port: 5071, outcallsAllowed: false }]);
    expect(await refusal(service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' }))).toBe('request-failed');
    expect(caller.placed).toEqual([]);
  });

  test('the INVITE: Request-URI at the dial plan’s gateway, caller ID, a G.711 + telephone-event offer, the no-answer timeout, Connecting at once', async () => {
    build();
    const { phoneCallId } = await service.start({ alias: 'sam', messageId: SAM_MESSAGE, dialString: 'jo@fabrikam.com' });
    expect(service.get('sam', phoneCallId)).toEqual({ state: 'Connecting', failureCause: 'None' });
    expect(caller.placed).toHaveLength(1);
    const options = caller.placed[0]!.options;
    expect(options.requestUri).toBe('sip:jo@fabrikam.com');
    expect(options.via).toEqual({ address: '127.0.0.1', port: 5072, protocol: 'tcp' });
    expect(options.from).toEqual({ uri: 'sip:+14255550100@contoso.com;user=phone' });
    expect(options.noAnswerTimeoutMs).toBe(4321);
    expect(options.sdp).toMatch(/^m=audio \d+ RTP\/AVP 0 8 101\r?$/m);
    expect(options.sdp).toMatch(/a=rtpmap:101 telephone-event\/8000/);
    options.onProvisional?.(183, 'Session Progress');
    expect(service.get('sam', phoneCallId)).toEqual({ state: 'Alerted', failureCause: 'None', sipResponseCode: 183, sipResponseText: 'Session Progress' });
  });

  test('one call per user, even for two requests at the same moment; other users are independent and cannot see it', async () => {
    build();
    const request = { alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' };
    const results = await Promise.allSettled([service.start(request), service.start({ ...request, alias: 'Kim' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as PlayOnPhoneRefusedError).refusal).toBe('request-failed');
    const { phoneCallId } = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ phoneCallId: string }>).value;
    expect(await refusal(service.start({ alias: 'erin', messageId: ERIN_MESSAGE, dialString: '425-555-1234' }))).toBe('started');
    expect(service.get('erin', phoneCallId)).toBeUndefined();
    expect(await service.disconnect('erin', phoneCallId)).toBe(false);
    expect(service.liveCalls).toBe(2);
    // Once the first call is over the user may start another.
    caller.placed[0]!.fail(486, 'Busy Here');
    await until(() => service.get('kim', phoneCallId)?.state === 'Disconnected');
    expect(service.get('kim', phoneCallId)).toEqual({ state: 'Disconnected', failureCause: 'UserBusy', sipResponseCode: 486, sipResponseText: 'Busy Here' });
    expect(await refusal(service.start(request))).toBe('started');
  });

  test('phone call ids are random 128-bit strings', async () => {
    const ids = new Set<string>();
    build();
    for (let i = 0; i < 5; i++) {
      const { phoneCallId } = await service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' });
      expect(phoneCallId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      ids.add(phoneCallId);
      await service.disconnect('kim', phoneCallId);
    }
    expect(ids.size).toBe(5);
  });

  test('a finished call stays readable for retentionMs, then is forgotten; beyond maxRetainedCalls the oldest goes first', async () => {
    build(undefined, { retentionMs: 200, maxRetainedCalls: 1 });
    const first = await service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' });
    caller.placed[0]!.fail(404, 'Not Found');
    await until(() => service.get('kim', first.phoneCallId)?.state === 'Disconnected');
    expect(service.get('kim', first.phoneCallId)).toMatchObject({ failureCause: 'Unavailable' });
    const second = await service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' });
    caller.placed[1]!.fail(480, 'Temporarily Unavailable');
    await until(() => service.get('kim', second.phoneCallId)?.state === 'Disconnected');
    expect(service.get('kim', first.phoneCallId)).toBeUndefined(); // pushed out by the second
    expect(service.get('kim', second.phoneCallId)).toMatchObject({ failureCause: 'NoAnswer' });
    await until(() => service.get('kim', second.phoneCallId) === undefined);
  });

  test('close() abandons pending INVITEs (CANCEL), forgets every call and refuses new ones', async () => {
    build();
    const { phoneCallId } = await service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' });
    const signal = caller.placed[0]!.options.signal!;
    expect(signal.aborted).toBe(false);
    service.close();
    service.close();
    expect(signal.aborted).toBe(true);
    expect(service.get('kim', phoneCallId)).toBeUndefined();
    await expect(service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' })).rejects.toBeInstanceOf(PlayOnPhoneClosedError);
    await expect(service.start({ alias: 'kim', messageId: KIM_MESSAGE, dialString: '425-555-1234' })).rejects.toMatchObject({ code: 'OPENUM_POP_CLOSED' });
  });
});
