// JSON API: Play on Phone (spec §8) — starting a call, reading its state, ending it, the dialing decision,
// and how each backend refusal becomes an HTTP status.
import { HTTP_STATUS_OF_REFUSAL } from '../../../src/http/api/index.js';
import type { UmRefusal } from '../../../src/http/um-backend.js';
import { servedBackend } from './ews-test-kit.js';
import { checkDialCalls, jsonApiServer, request } from './json-api-test-kit.js';


const KIMS = '0b6f1c9e-0000-4000-8000-000000000001';
const LEES = '0b6f1c9e-0000-4000-8000-0000000000ee';

const fixture = servedBackend((backend) => jsonApiServer(backend));

async function startCall(alias = 'kim', messageId = KIMS, dialString = '+14255550199'): Promise<string> {
  const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { alias, body: { messageId, dialString } });
  expect(r.status).toBe(202);
  return (r.json as { phoneCallId: string }).phoneCallId;
}

describe('POST /api/v1/play-on-phone', () => {
  test('starts a call for the user\'s message: 202, the phoneCallId and its Location', async () => {
    const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: { messageId: KIMS, dialString: ' 0014255550199 ' } });
    expect(r.status).toBe(202);
    const { phoneCallId } = r.json as { phoneCallId: string };
    expect(r.headers.get('location')).toBe(`/api/v1/phone-calls/${phoneCallId}`);
    expect(fixture.backend.calls.get(phoneCallId)).toMatchObject({ alias: 'kim', messageId: KIMS, dialString: '0014255550199' });
  });

  test('another user\'s message is 404 item-not-found and no call is placed', async () => {
    const before = fixture.backend.calls.size;
    const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: { messageId: LEES, dialString: '+14255550199' } });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { code: 'item-not-found' } });
    expect(fixture.backend.calls.size).toBe(before);
  });

  test.each(Object.entries(HTTP_STATUS_OF_REFUSAL) as Array<[UmRefusal, number]>)('maps the refusal %s to HTTP %i with that code', async (refusal, status) => {
    const dialString = `refuse-${refusal}`;
    fixture.backend.refusals.set(dialString, refusal);
    const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: { messageId: KIMS, dialString } });
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ error: { code: refusal, message: `refused: ${refusal}` } });
  });

  test('a user without Play on Phone gets 403 user-not-um-enabled', async () => {
    fixture.backend.playOnPhoneEnabled.set('kim', false);
    try {
      const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: { messageId: KIMS, dialString: '+14255550199' } });
      expect(r.status).toBe(403);
      expect(r.json).toMatchObject({ error: { code: 'user-not-um-enabled' } });
    } finally {
      fixture.backend.playOnPhoneEnabled.delete('kim');
    }
  });

  test.each([
    ['no dialString', { messageId: KIMS }],
    ['no messageId', { dialString: '+14255550199' }],
    ['a blank dialString', { messageId: KIMS, dialString: '   ' }],
    ['a number as dialString', { messageId: KIMS, dialString: 14255550199 }],
    ['an array', [KIMS, '+14255550199']],
    ['a 300-character dialString', { messageId: KIMS, dialString: '1'.repeat(300) }],
  ])('refuses a body with %s: 400 bad-request', async (_what, body) => {
    const before = fixture.backend.calls.size;
    const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'bad-request', message: expect.any(String) } });
    expect(fixture.backend.calls.size).toBe(before);
  });

  test('refuses a body that is not JSON with 400, and one of another type with 415', async () => {
    const broken = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: '{"messageId":' });
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ error: { code: 'bad-request' } });
    const form = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: `messageId=${KIMS}`, contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.json).toMatchObject({ error: { code: 'unsupported-media-type' } });
  });

  test('refuses a body over 16 KiB with 413', async () => {
    const r = await request(fixture.server, 'POST', '/api/v1/play-on-phone', { body: { messageId: KIMS, dialString: '1', padding: 'x'.repeat(20_000) } });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: 'payload-too-large' } });
  });
});

describe('GET and DELETE /api/v1/phone-calls/:id', () => {
  test('reads the call\'s state, with SIP response fields when known', async () => {
    const id = await startCall();
    expect((await request(fixture.server, 'GET', `/api/v1/phone-calls/${id}`)).json).toEqual({ phoneCallId: id, state: 'Connecting', failureCause: 'None', sipResponseCode: null, sipResponseText: null });
    fixture.backend.calls.get(id)!.info = { state: 'Disconnected', failureCause: 'UserBusy', sipResponseCode: 486, sipResponseText: 'Busy Here' };
    const r = await request(fixture.server, 'GET', `/api/v1/phone-calls/${id}`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ phoneCallId: id, state: 'Disconnected', failureCause: 'UserBusy', sipResponseCode: 486, sipResponseText: 'Busy Here' });
  });

  test('ends the call: 204, then it reads Disconnected', async () => {
    const id = await startCall();
    const r = await request(fixture.server, 'DELETE', `/api/v1/phone-calls/${id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await request(fixture.server, 'GET', `/api/v1/phone-calls/${id}`)).json).toMatchObject({ state: 'Disconnected' });
  });

  test('another user\'s call is 404 invalid-phone-call-id to read and to end, and keeps going', async () => {
    const id = await startCall('lee', LEES);
    const read = await request(fixture.server, 'GET', `/api/v1/phone-calls/${id}`);
    expect(read.status).toBe(404);
    expect(read.json).toMatchObject({ error: { code: 'invalid-phone-call-id' } });
    const end = await request(fixture.server, 'DELETE', `/api/v1/phone-calls/${id}`);
    expect(end.status).toBe(404);
    expect(fixture.backend.calls.get(id)?.info.state).toBe('Connecting');
  });

  test('an unknown call id is 404', async () => {
    expect((await request(fixture.server, 'GET', '/api/v1/phone-calls/call-999')).status).toBe(404);
    expect((await request(fixture.server, 'DELETE', '/api/v1/phone-calls/call-999')).status).toBe(404);
  });
});

describe('POST /api/v1/check-dial', () => {
  test('returns the decision for the signed-in user, undefined fields as null', async () => {
    const allowed = await request(fixture.server, 'POST', '/api/v1/check-dial', { alias: 'lee', body: { dialString: ' +14255550100 ' } });
    expect(allowed.status).toBe(200);
    expect(allowed.json).toEqual({ dialString: '+14255550100', allowed: true, category: 'national', dialed: '94255550100', reason: null, trace: [] });
    expect(checkDialCalls.at(-1)).toEqual({ alias: 'lee', dialString: '+14255550100' });
    const denied = await request(fixture.server, 'POST', '/api/v1/check-dial', { body: { dialString: '0044201234567' } });
    expect(denied.json).toEqual({ dialString: '0044201234567', allowed: false, category: null, dialed: null, reason: 'not-allowed', trace: [] });
    expect(checkDialCalls.at(-1)).toEqual({ alias: 'kim', dialString: '0044201234567' });
  });

  test.each([['no body', undefined], ['no dialString', {}], ['a number', { dialString: 5 }]])('refuses %s with 400', async (_what, body) => {
    const r = await request(fixture.server, 'POST', '/api/v1/check-dial', body === undefined ? {} : { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'bad-request' } });
  });
});
