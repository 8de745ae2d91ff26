// Problems the config linter reports about dialing rule entries. Codes are stable: the config docs list
// them and `openum validate` prints them; never rename or reuse one.

/** Stable codes of dialing-rule problems, each with its one-line description (for the config docs). */
export const DIALING_RULE_PROBLEM_CODES = {
  E_MASK_EMPTY: 'NumberMask is empty.',
  E_MASK_CHARACTERS: 'NumberMask may contain only digits, x/X and one trailing *.',
  E_MASK_STAR_POSITION: 'NumberMask may contain * only once, as its last character.',
  E_DIALED_EMPTY: 'DialedNumber is empty.',
  E_DIALED_CHARACTERS: 'DialedNumber may contain only digits, x/X and one trailing *.',
  E_DIALED_STAR_POSITION: 'DialedNumber may contain * only once, as its last character.',
  E_DIALED_STAR_WITHOUT_MASK_STAR: 'DialedNumber contains * but NumberMask has no * to capture digits for it.',
  E_MASK_X_COUNT: 'DialedNumber must contain exactly as many x as NumberMask.',
  E_GROUP_NAME_EMPTY: 'Dialing rule group Name is empty.',
  E_GROUP_NAME_LENGTH: 'Dialing rule group Name is longer than 32 characters.',
  W_SHADOWED_RULE: 'Entry can never win: an earlier entry of the same group matches every number it matches.',
} as const satisfies Record<string, string>;

/** One of the stable dialing-rule problem codes. */
export type DialingRuleProblemCode = keyof typeof DIALING_RULE_PROBLEM_CODES;

/** Which property of a rule entry a problem is about. */
export type DialingRuleField = 'Name' | 'NumberMask' | 'DialedNumber';

/** A problem found in one dialing rule entry; the linter adds where the entry is. */
export interface DialingRuleProblem {
  /** Stable code (a key of `DIALING_RULE_PROBLEM_CODES`). */
  code: DialingRuleProblemCode;
  /** Errors make the configuration invalid; warnings do not. */
  severity: 'error' | 'warning';
  /** The property at fault. */
  field: DialingRuleField;
  /** Human-readable detail (tests match `code`, never this). */
  message: string;
  /** What was found (a character, a count, a length). */
  got?: string | number;
  /** What was needed. */
  need?: string | number;
  /** 1-based character position in the field, where it applies. */
  position?: number;
}

/** Longest group name Exchange accepts (spec §1). */
export const MAX_GROUP_NAME_LENGTH = 32;
