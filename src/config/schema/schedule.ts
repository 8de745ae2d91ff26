import { z } from 'zod';

/** Days of the week as Exchange abbreviates them in schedule ranges. */
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** A weekly time range, minutes from Sunday 00:00 (end may be ≤ start when it wraps past Saturday). */
export interface WeeklyRange {
  start: number;
  end: number;
  text: string;
}

const RANGE = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat)\.(\d{1,2}):(\d{2})-(Sun|Mon|Tue|Wed|Thu|Fri|Sat)\.(\d{1,2}):(\d{2})$/i;

function minuteOfWeek(day: string, hh: string, mm: string): number | undefined {
  const d = WEEKDAYS.findIndex((w) => w.toLowerCase() === day.toLowerCase());
  const h = Number(hh);
  const m = Number(mm);
  if (h > 24 || m > 59 || (h === 24 && m !== 0)) return undefined;
  return d * 1440 + h * 60 + m;
}

/** One `BusinessHoursSchedule` entry such as `Mon.09:00-Mon.17:00`. */
export const weeklyRange = z.string().transform((text, ctx): WeeklyRange => {
  const m = RANGE.exec(text.trim());
  const start = m && minuteOfWeek(m[1]!, m[2]!, m[3]!);
  const end = m && minuteOfWeek(m[4]!, m[5]!, m[6]!);
  if (start === undefined || end === undefined || start === null || end === null || start === end) {
    ctx.issues.push({ code: 'invalid_format', format: 'regex', input: text, message: 'a weekly range such as Mon.09:00-Mon.17:00' });
    return z.NEVER;
  }
  return { start, end, text };
});
