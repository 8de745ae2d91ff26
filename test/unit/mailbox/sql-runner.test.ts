import { numberPlaceholders } from '../../../src/mailbox/sql-runner.js';

describe('numberPlaceholders (? → $n for PostgreSQL)', () => {
  test('numbers placeholders in order', () => {
    expect(numberPlaceholders('SELECT * FROM m WHERE a = ? AND b IN (?, ?)')).toEqual({ text: 'SELECT * FROM m WHERE a = $1 AND b IN ($2, $3)', count: 3 });
  });

  test('leaves ? inside string literals and quoted identifiers alone', () => {
    expect(numberPlaceholders(`SELECT '?', "a?b" FROM t WHERE x = ? AND y = 'it''s ?'`)).toEqual({ text: `SELECT '?', "a?b" FROM t WHERE x = $1 AND y = 'it''s ?'`, count: 1 });
  });

  test('no placeholders', () => {
    expect(numberPlaceholders('SELECT 1')).toEqual({ text: 'SELECT 1', count: 0 });
  });
});
