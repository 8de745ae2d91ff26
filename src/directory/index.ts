export { Directory } from './directory.js';
export type { DialSubject, DialSubjectScenario } from './directory.js';
export { DirectoryLookupError } from './errors.js';
export { resolveCallTarget } from './call-target.js';
export type { CallAddress, CallTarget, CallTargetQuery } from './call-target.js';
export { CALLER_NAME_STEPS, resolveCallerName } from './caller-name-resolution.js';
export type { CallerNameMatch, CallerNameQuery, CallerNameResolution, CallerNameStep, CallerNameStepName } from './caller-name-resolution.js';
export { normalizePhoneNumber, numberForms, numberMaskMatches, parseCallerIdentity, toE164 } from './phone-number.js';
export type { ParsedCaller, NumberForms, NumberingContext } from './phone-number.js';
