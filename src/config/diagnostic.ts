/** A segment of a property path inside the configuration document: a key or a list index. */
export type PathSegment = string | number;

/** Errors stop `openum validate` (exit 1) and `openum serve`; warnings are reported only. */
export type Severity = 'error' | 'warning';

/** One problem found in a configuration file. */
export interface Diagnostic {
  severity: Severity;
  /** Stable code from DIAGNOSTIC_CODES, e.g. `E_UNKNOWN_GROUP`. */
  code: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** Where, as raw document keys and indices. */
  path: readonly PathSegment[];
  /** Where, as a reader sees it: `UMDialPlans[Redmond].ConfiguredInCountryOrRegionGroups[2]`. */
  property: string;
  /** What was expected, when the check knows it. */
  expected?: string;
  /** What was found, when the check knows it. */
  found?: string;
  file: string;
  /** 1-based line and column of the offending node (or its nearest existing parent). */
  line?: number;
  column?: number;
}

/** A finding before it is placed in the file: the checks produce these, the loader locates them. */
export interface Finding {
  code: string;
  message: string;
  path: readonly PathSegment[];
  expected?: string;
  found?: string;
  /** Explicit position, for problems no property path can point at (syntax errors). */
  at?: { line: number; column: number };
}

/** Renders a diagnostic the way compilers do: `file:line:col: error E_CODE at path: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  const detail = [d.expected === undefined ? '' : `expected ${d.expected}`, d.found === undefined ? '' : `found ${d.found}`]
    .filter((s) => s !== '')
    .join(', ');
  const at = d.property === '' ? '' : ` at ${d.property}`;
  return `${where}: ${d.severity} ${d.code}${at}: ${d.message}${detail === '' ? '' : ` (${detail})`}`;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
