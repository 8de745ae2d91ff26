import { z } from 'zod';

/** One auto attendant menu key: transfer to an extension or to another auto attendant. */
export interface KeyMapping {
  Key: string;
  Description: string;
  Extension: string;
  AutoAttendant: string;
}

const KEY = /^[1-9-]$/;

/**
 * `"Key,Description,Extension"` (e.g. `"1,Sales,12345"`) or `"Key,Description,,AutoAttendantName"`, as
 * Set-UMAutoAttendant takes them; key `1`–`9`, or `-` for what happens on time-out.
 */
export const keyMapping = z.string().transform((text, ctx): KeyMapping => {
  const [key, description, extension = '', autoAttendant = '', ...rest] = text.split(',').map((p) => p.trim());
  const ok = key !== undefined && KEY.test(key) && description !== undefined && description !== '' && rest.length === 0
    && (extension === '' ? autoAttendant !== '' : /^\+?\d+$/.test(extension));
  if (!ok) {
    ctx.issues.push({ code: 'invalid_format', format: 'regex', input: text, message: 'a key mapping "Key,Description,Extension" or "Key,Description,,AutoAttendant" with key 1-9 or -' });
    return z.NEVER;
  }
  return { Key: key, Description: description, Extension: extension, AutoAttendant: autoAttendant };
});
