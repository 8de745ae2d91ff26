import { z } from 'zod';

/**
 * Properties that `ConvertTo-Json` of any Exchange object carries but that describe the object, not
 * its behaviour. They are accepted and dropped so that exported objects load unedited.
 */
const EXCHANGE_METADATA = new Set([
  'Identity', 'Guid', 'Id', 'DistinguishedName', 'ObjectCategory', 'ObjectClass', 'WhenChanged',
  'WhenCreated', 'WhenChangedUTC', 'WhenCreatedUTC', 'OrganizationId', 'OriginatingServer', 'IsValid',
  'ObjectState', 'ExchangeVersion', 'ExchangeObjectId', 'PSComputerName', 'PSShowComputerName',
  'RunspaceId', 'IsReadOnly', 'AdminDisplayName',
]);

/**
 * A strict Exchange object: unknown keys are errors, except Exchange's own metadata and the named
 * Exchange properties openum knowingly does not use (`ignored`).
 */
export function exchangeObject<T extends z.ZodRawShape>(shape: T, ignored: readonly string[] = []) {
  const drop = new Set([...EXCHANGE_METADATA, ...ignored]);
  return z.preprocess((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).filter(([k]) => !drop.has(k)));
  }, z.strictObject(shape));
}

/** An Exchange enumeration: compared case-insensitively (as PowerShell does), returned canonical. */
export function exchangeEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((input, ctx): T[number] => {
    const hit = values.find((v) => v.toLowerCase() === input.toLowerCase());
    if (hit !== undefined) return hit;
    ctx.issues.push({ code: 'invalid_value', values: [...values], input, message: `not one of ${values.join(', ')}` });
    return z.NEVER;
  });
}

/** A string of decimal digits, `min`..`max` long (Exchange dial codes, extensions, keys). */
export function digits(min: number, max: number) {
  return z.string().regex(new RegExp(`^\\d{${min},${max}}$`), { message: `${min}–${max} digits` });
}

/** A telephone number as people write it: at least one digit, optional leading +, formatting allowed. */
export const phoneNumber = z.string().regex(/^\+?[\d\s().\-/]*\d[\d\s().\-/]*(;ext=\d+)?$/, { message: 'a telephone number' });

/** A multi-valued Exchange property: a list, or one comma-separated string as the cmdlets take it. */
export function multiValued<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v), z.array(item));
}

/** An integer number of Exchange units in [min, max]. */
export function integer(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/** `Unlimited`, or an integer in [min, max]; `Unlimited` is returned as the string. */
export function unlimitedOr(min: number, max: number) {
  return z.union([integer(min, max), z.string().regex(/^unlimited$/i, { message: `Unlimited or ${min}–${max}` }).transform(() => 'Unlimited' as const)]);
}

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/**
 * An Exchange ByteQuantifiedSize: `Unlimited`, a number of bytes, `500MB`, `2 GB`, or what the cmdlets
 * print (`2 GB (2,147,483,648 bytes)`); returned as bytes or `Unlimited`.
 */
export const byteQuantifiedSize = z.union([z.number().int().min(0), z.string()]).transform((value, ctx): number | 'Unlimited' => {
  if (typeof value === 'number') return value;
  if (/^\s*unlimited\s*$/i.test(value)) return 'Unlimited';
  const exact = /\(([\d,]+) bytes\)/.exec(value);
  if (exact) return Number(exact[1]!.replace(/,/g, ''));
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?\s*$/i.exec(value);
  if (!m) {
    ctx.issues.push({ code: 'invalid_format', format: 'regex', input: value, message: 'Unlimited, bytes, or a size such as 500MB or 2 GB' });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'B').toUpperCase()]!);
});

/** A name of an Exchange object (≤ 64 characters, not blank). */
export const objectName = z.string().trim().min(1).max(64);

/** A SIP URI as Exchange stores it, with or without `sip:`. */
export const sipUri = z.string().regex(/^(sip:)?[^@\s]+@[^@\s]+$/i, { message: 'a SIP URI such as user@contoso.com' });

/** A prompt file name (a WAV in the prompts store). */
export const promptFileName = z.string().min(1).max(255);
