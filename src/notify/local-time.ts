let cachedZone: string | undefined;

/** The server's local IANA time zone (what the process's TZ resolves to; read once: resolving it is slow). */
export function serverTimeZone(): string {
  cachedZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  return cachedZone;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone, kept.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    if (formats.size >= 64) formats.clear();
    formats.set(timeZone, format);
  }
  return format;
}

/** Calendar fields of an instant in a time zone. */
interface LocalFields {
  weekday: string;
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  offset: string;
}

function localFields(instant: Date, timeZone: string): LocalFields {
  const parts = formatFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  // longOffset is "GMT+01:00", or plain "GMT" at offset zero.
  const offset = field('timeZoneName').replace(/^GMT/, 'UTC');
  return {
    weekday: field('weekday'),
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
    offset: offset === 'UTC' ? 'UTC+00:00' : offset,
  };
}

/** Readable, ISO-like local time for a mail body: `Wednesday 2026-11-25 14:03:07 (UTC+01:00)`. */
export function formatLocalTime(instant: Date, timeZone: string = serverTimeZone()): string {
  const f = localFields(instant, timeZone);
  return `${f.weekday} ${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second} (${f.offset})`;
}

/** Local time for a file name, minutes only and no colon: `2026-11-25 14-03`. */
export function formatFileNameTime(instant: Date, timeZone: string = serverTimeZone()): string {
  const f = localFields(instant, timeZone);
  return `${f.year}-${f.month}-${f.day} ${f.hour}-${f.minute}`;
}
