export { Directory } from './directory.js';
export type { DialSubject, DialSubjectScenario } from './directory.js';
export { DirectoryLookupError } from './errors.js';
export { resolveCallTarget } from './call-target.js';
export type { CallAddress, CallTarget, CallTargetQuery } from './call-target.js';
