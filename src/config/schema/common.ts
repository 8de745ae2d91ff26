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

/** A name of an Exchange object (≤ 64 characters, not blank). */
export const objectName = z.string().trim().min(1).max(64);

/** A SIP URI as Exchange stores it, with or without `sip:`. */
export const sipUri = z.string().regex(/^(sip:)?[^@\s]+@[^@\s]+$/i, { message: 'a SIP URI such as user@contoso.com' });

/** A prompt file name (a WAV in the prompts store). */
export const promptFileName = z.string().min(1).max(255);
