// JSON API: listing and reading the user's own voice messages and their audio; other users' → 404.
import { rm } from 'node:fs/promises';
import { servedBackend } from './ews-test-kit.js';
import { jsonApiServer, request } from './json-api-test-kit.js';


const OLDER = '0b6f1c9e-0000-4000-8000-000000000001';
const NEWER = '0b6f1c9e-0000-4000-8000-000000000002';
const LEES = '0b6f1c9e-0000-4000-8000-0000000000ee';

const fixture = servedBackend((backend) => jsonApiServer(backend));

describe('GET /api/v1/messages', () => {
  test('lists only the user\'s messages, newest first, with the default page', async () => {
    const r = await request(fixture.server, 'GET', '/api/v1/messages');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = r.json as { offset: number; limit: number; messages: Array<Record<string, unknown>> };
    expect(body.offset).toBe(0);
    expect(body.limit).toBe(50);
    expect(body.messages.map((m) => m.id)).toEqual([NEWER, OLDER]);
    expect(body.messages[1]).toEqual({
      id: OLDER,
      receivedAt: '2026-11-25T10:30:00.000Z',
      durationMs: 12_400,
      durationSeconds: 12,
      caller: '+14255550100',
      callerName: 'Kim Akers',
      read: false,
      subject: 'Voice Mail from Lee Hu (12 seconds)',
      sizeBytes: 'older audio'.length,
      codec: 'G711',
      contentType: 'audio/wav',
      attachmentName: `Voice Mail from Kim Akers ${OLDER}.wav`,
      audioUrl: `/api/v1/messages/${OLDER}/audio`,
    });
    expect(body.messages[0]).toMatchObject({ caller: null, callerName: null, read: true });
  });

  test('pages with offset and limit', async () => {
    const second = await request(fixture.server, 'GET', '/api/v1/messages?offset=1&limit=1');
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ offset: 1, limit: 1, messages: [{ id: OLDER }] });
    const past = await request(fixture.server, 'GET', '/api/v1/messages?offset=5');
    expect(past.json).toMatchObject({ messages: [] });
  });

  test.each(['limit=0', 'limit=501', 'limit=abc', 'offset=-1', 'offset=1.5'])('refuses ?%s with 400 bad-request', async (query) => {
    const r = await request(fixture.server, 'GET', `/api/v1/messages?${query}`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'bad-request', message: expect.any(String) } });
  });

  test('another user sees their own list only', async () => {
    const r = await request(fixture.server, 'GET', '/api/v1/messages', { alias: 'lee' });
    expect((r.json as { messages: Array<{ id: string }> }).messages.map((m) => m.id)).toEqual([LEES]);
  });

  test('an unexpected fixture.backend failure is a 500 internal-error that does not leak its cause', async () => {
    fixture.backend.failListing = true;
    try {
      const r = await request(fixture.server, 'GET', '/api/v1/messages');
      expect(r.status).toBe(500);
      expect(r.json).toMatchObject({ error: { code: 'internal-error' } });
      expect(r.text).not.toContain('database is locked');
    } finally {
      fixture.backend.failListing = false;
    }
  });
});

describe('GET /api/v1/messages/:id', () => {
  test('returns one of the user\'s messages', async () => {
    const r = await request(fixture.server, 'GET', `/api/v1/messages/${NEWER}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: NEWER, subject: 'Voice Mail from Anonymous (3 seconds)' });
  });

  test.each([['another user\'s message', LEES], ['an unknown id', '0b6f1c9e-0000-4000-8000-00000000ffff'], ['a malformed id', 'not-a-uuid']])('answers %s with 404 item-not-found', async (_what, id) => {
    const r = await request(fixture.server, 'GET', `/api/v1/messages/${id}`);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error: { code: 'item-not-found', message: expect.any(String) } });
  });
});

describe('GET /api/v1/messages/:id/audio', () => {
  test('sends the file with its content type, length and an attachment name', async () => {
    const r = await request(fixture.server, 'GET', `/api/v1/messages/${OLDER}/audio`);
    expect(r.status).toBe(200);
    expect(r.bytes.toString()).toBe('older audio');
    expect(r.headers.get('content-type')).toBe('audio/wav');
    expect(r.headers.get('content-length')).toBe(String('older audio'.length));
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="Voice Mail from Kim Akers ${OLDER}.wav"; filename*=UTF-8''Voice%20Mail%20from%20Kim%20Akers%20${OLDER}.wav`);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  test('another user\'s audio is 404', async () => {
    const r = await request(fixture.server, 'GET', `/api/v1/messages/${LEES}/audio`);
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { code: 'item-not-found' } });
    expect(r.text).not.toContain('lee audio');
  });

  test('a message whose file is gone is 404, not a broken stream', async () => {
    const stored = await fixture.backend.addMessage('kim', { id: '0b6f1c9e-0000-4000-8000-0000000000aa', receivedAt: new Date('2026-01-01T00:00:00Z') });
    const audio = await fixture.backend.getVoiceMessageAudio('kim', stored.summary.id);
    await rm(audio!.path);
    const r = await request(fixture.server, 'GET', `/api/v1/messages/${stored.summary.id}/audio`);
    expect(r.status).toBe(404);
    fixture.backend.messages.splice(fixture.backend.messages.indexOf(stored), 1);
  });
});
