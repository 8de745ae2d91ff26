import { CONFIG_DIAGNOSTIC_CODES } from '../config/index.js';
import { DIALING_RULE_PROBLEM_CODES } from '../dialing/index.js';

/** Every code `openum validate` can print, with its description (docs/configuration.md lists them). */
export const ALL_DIAGNOSTIC_CODES: Readonly<Record<string, string>> = { ...CONFIG_DIAGNOSTIC_CODES, ...DIALING_RULE_PROBLEM_CODES };
