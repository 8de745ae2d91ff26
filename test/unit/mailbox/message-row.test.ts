import { messageToParams, MESSAGE_COLUMNS, parseBoolean, parseInteger, parseMessageRow } from '../../../src/mailbox/message-row.js';
import type { StoredMessage } from '../../../src/mailbox/message-types.js';

const message: StoredMessage = {
  id: '11111111-1111-4111-8111-111111111111', mailbox: 'kim', caller: null, callerName: 'Jo', receivedAt: new Date('2024-01-02T03:04:05.678Z'),
  durationMs: 1234, codec: 'Wma', audioPath: 'messages/kim/x.wma', sizeBytes: 999, state: 'read', urgent: true, recovered: false,
  callId: null, createdAt: new Date('2024-01-02T03:04:06.000Z'), updatedAt: new Date('2024-01-02T03:04:07.000Z'),
};

describe('message rows (both back-ends)', () => {
  test('SQLite wire values (ISO text, 0/1) parse back to the message', () => {
    const row = Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => {
      const v = messageToParams(message)[i];
      return [c, v instanceof Date ? v.toISOString() : typeof v === 'boolean' ? (v ? 1 : 0) : v];
    }));
    expect(parseMessageRow(row)).toEqual(message);
  });

  test('PostgreSQL wire values (Date, boolean, bigint as text) parse back to the message', () => {
    const row = Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, messageToParams(message)[i]]));
    row.size_bytes = '999';
    expect(parseMessageRow(row)).toEqual(message);
  });

  test('integers, booleans, and a corrupt time', () => {
    expect(parseInteger(null, 'x')).toBe(0);
    expect(parseInteger('5000000000', 'x')).toBe(5_000_000_000);
    expect(() => parseInteger('abc', 'x')).toThrow(expect.objectContaining({ code: 'OPENUM_MAILBOX_STORE' }));
    expect([parseBoolean(true), parseBoolean(1), parseBoolean(0), parseBoolean(false), parseBoolean(null)]).toEqual([true, true, false, false, false]);
    const row = Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, messageToParams(message)[i]]));
    row.received_at = 'yesterday';
    expect(() => parseMessageRow(row)).toThrow(expect.objectContaining({ code: 'OPENUM_MAILBOX_STORE' }));
  });
});
