import { formatFileNameTime, formatLocalTime } from '../../../src/notify/index.js';

describe('local time formatting', () => {
  const instant = new Date('2026-07-01T23:30:05Z');

  it('shows weekday, ISO date, 24-hour time and the UTC offset of the zone', () => {
    expect(formatLocalTime(instant, 'Europe/Paris')).toBe('Thursday 2026-07-02 01:30:05 (UTC+02:00)');
    expect(formatLocalTime(instant, 'UTC')).toBe('Wednesday 2026-07-01 23:30:05 (UTC+00:00)');
    expect(formatLocalTime(new Date('2026-07-01T07:05:00Z'), 'Asia/Kolkata')).toBe('Wednesday 2026-07-01 12:35:00 (UTC+05:30)');
  });

  it('file-name form has no colons and shows midnight as 00', () => {
    expect(formatFileNameTime(new Date('2026-07-01T22:00:59Z'), 'Europe/Paris')).toBe('2026-07-02 00-00');
  });
});
