import { z } from 'zod';

/** One line of ConfiguredInCountryOrRegionGroups / ConfiguredInternationalGroups, normalised. */
export interface ConfiguredDialingRuleEntry {
  Name: string;
  NumberMask: string;
  DialedNumber: string;
  Comment: string;
}

// Empty parts pass here on purpose: the dialing layer reports them with its own codes (E_MASK_EMPTY…).
const entryObject = z.strictObject({
  Name: z.string().trim(),
  NumberMask: z.string().trim(),
  DialedNumber: z.string().trim(),
  Comment: z.string().default(''),
});

/**
 * A dialing rule entry, either Exchange's string form `"Name,NumberMask,DialedNumber,Comment"` (the
 * comment may be left out, and may itself contain commas) or the object `ConvertTo-Json` emits.
 * Mask syntax is checked later by the dialing layer, which owns its semantics.
 */
export const dialingRuleEntry = z.union([
  z.string().transform((s, ctx): ConfiguredDialingRuleEntry => {
    const [name, mask, dialed, ...comment] = s.split(',');
    if (name === undefined || mask === undefined || dialed === undefined) {
      ctx.issues.push({ code: 'invalid_format', format: 'regex', input: s, message: 'a dialing rule entry "Name,NumberMask,DialedNumber[,Comment]"' });
      return z.NEVER;
    }
    return { Name: name.trim(), NumberMask: mask.trim(), DialedNumber: dialed.trim(), Comment: comment.join(',').trim() };
  }),
  entryObject,
]);
