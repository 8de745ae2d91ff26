// Public API of the dialing-rules engine (spec §1, §2): pure functions, no I/O.

export type {
  CategoryRule,
  CategoryTraceStep,
  DialCategory,
  DialDecision,
  DialDenialReason,
  DialingPermissions,
  DialingRuleEntry,
  DialingRuleListName,
  DialingRuleRef,
  DialingRulesSource,
  DialRequest,
  DialScenario,
  EntryOutcome,
  EntryTraceStep,
  ExtensionTraceStep,
  GroupTraceStep,
  InputTraceStep,
  NotDialableTraceStep,
  PrefixRule,
  PrefixTraceStep,
  ResultTraceStep,
  SipUserTraceStep,
  SubscriberLookup,
  TraceStep,
} from './types.js';
export { DIALING_RULE_PROBLEM_CODES, MAX_GROUP_NAME_LENGTH } from './problems.js';
export type { DialingRuleField, DialingRuleProblem, DialingRuleProblemCode } from './problems.js';
export { InvalidDialingRuleError, InvalidDialPlanError, MissingGoverningObjectError } from './errors.js';
export {
  ANY_DIGIT,
  applyDialedNumber,
  checkDialedNumber,
  checkNumberMask,
  digitsOnly,
  explainNumberMask,
  matchNumberMask,
  parseDialedNumber,
  parseNumberMask,
} from './number-mask.js';
export type { DialedNumberTemplate, MaskExplanation, NumberMask } from './number-mask.js';
export { checkDialingRuleEntry, parseDialingRuleEntry } from './rule-entry.js';
export type { ParsedDialingRuleEntry } from './rule-entry.js';
export { findShadowedEntries, maskIncludes } from './shadowing.js';
export type { ShadowedEntry } from './shadowing.js';
export { classify, classifyDialString, isSipUri, normalizeSipUri, readDialString, resolveDialCodes } from './classify.js';
export type { DialClassification, DialCodes, DialStringInput } from './classify.js';
export { compileDialingRules } from './compile.js';
export type { CompiledDialingRules, CompiledGroup, CompiledRuleList } from './compile.js';
export { authorizeDial } from './authorize.js';
export { permissionsFor } from './permissions-for.js';
export type { GoverningObjects } from './permissions-for.js';
export { formatTrace, formatTraceStep } from './trace.js';
