import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { checkAllowedGroups } from './checks/allowed-groups.js';
import { checkLimits } from './checks/limits.js';
import { checkLyncIntegration } from './checks/lync-integration.js';
import { checkMailboxes } from './checks/mailboxes.js';
import { checkDuplicateNames } from './checks/names.js';
import { checkReferences } from './checks/references.js';
import type { OpenumConfiguration } from './configuration.js';
import type { Diagnostic, Finding } from './diagnostic.js';
import { hasErrors } from './diagnostic.js';
import { ConfigurationInvalidError } from './errors.js';
import { formatPropertyPath } from './property-path.js';
import { findingsFromIssues } from './schema-issues.js';
import { configurationSchema, TOP_LEVEL_KEYS } from './schema/configuration.js';
import type { ConfigurationInput } from './schema/configuration.js';
import type { SourceDocument } from './source-document.js';
import { parseSourceDocument } from './source-document.js';

/** No openum configuration is this large; bigger files are refused before parsing. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/** A check another layer contributes (dialing rules, key mappings); it sees only a valid configuration. */
export type ConfigurationCheck = (configuration: OpenumConfiguration) => Finding[];

/** Options of loadConfiguration. */
export interface LoadConfigurationOptions {
  /** Checks of other layers, run after the config layer's own when the schema is satisfied. */
  checks?: readonly ConfigurationCheck[];
}

/** What loading a file produced. `configuration` is set only when there is no error. */
export interface LoadConfigurationResult {
  file: string;
  /** False when the file could not be read at all (CLI exit code 2). */
  readable: boolean;
  configuration: OpenumConfiguration | undefined;
  /** Errors and warnings, in file order. */
  diagnostics: Diagnostic[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Fills in what Exchange derives: dial plan phone contexts; makes paths absolute. */
function finalize(input: ConfigurationInput, file: string): OpenumConfiguration {
  const base = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const dataDirectory = abs(input.Server.DataDirectory);
  return {
    ...input,
    UMDialPlans: input.UMDialPlans.map((d) => ({ ...d, PhoneContext: d.PhoneContext ?? `${d.Name}.${input.Server.Domain}` })),
    Server: {
      ...input.Server,
      DataDirectory: dataDirectory,
      Mail: { ...input.Server.Mail, Directory: input.Server.Mail.Directory === undefined ? resolve(dataDirectory, 'mail') : abs(input.Server.Mail.Directory) },
    },
    sourceFile: file,
  };
}

function toDiagnostic(f: Finding, file: string, source: SourceDocument | undefined): Diagnostic {
  const position = f.at ?? source?.locate(f.path, { key: f.code === 'E_UNKNOWN_KEY' });
  const d: Diagnostic = {
    severity: f.code.startsWith('W_') ? 'warning' : 'error',
    code: f.code,
    message: f.message,
    path: f.path,
    property: source ? formatPropertyPath(source.value, f.path) : '',
    file,
  };
  if (f.expected !== undefined) d.expected = f.expected;
  if (f.found !== undefined) d.found = f.found;
  if (position) {
    d.line = position.line;
    d.column = position.column;
  }
  return d;
}

/** Validates configuration text that came from `file` (used by loadConfiguration and by tests). */
export function loadConfigurationText(text: string, file: string, options: LoadConfigurationOptions = {}): LoadConfigurationResult {
  const result = (findings: Finding[], source?: SourceDocument, configuration?: OpenumConfiguration): LoadConfigurationResult => {
    const diagnostics = findings.map((f) => toDiagnostic(f, file, source)).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { file, readable: true, diagnostics, configuration: configuration && !hasErrors(diagnostics) ? deepFreeze(configuration) : undefined };
  };
  if (text.includes('\u0000')) return result([{ code: 'E_NOT_CONFIG', message: 'the file is binary, not YAML or JSON', path: [] }]);
  const source = parseSourceDocument(text);
  if (source.syntaxErrors.length > 0) return result(source.syntaxErrors, source);
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.keys(value).some((k) => (TOP_LEVEL_KEYS as readonly string[]).includes(k))) {
    return result([{ code: 'E_NOT_CONFIG', message: `not an openum configuration: expected a mapping with some of ${TOP_LEVEL_KEYS.join(', ')}`, path: [], found: describeTop(value) }], source);
  }
  const parsed = configurationSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return result(findingsFromIssues(parsed.error.issues, configurationSchema), source);

  const configuration = finalize(parsed.data, file);
  const phoneContextOf = (name: string) => configuration.UMDialPlans.find((d) => d.Name.toLowerCase() === name.toLowerCase())?.PhoneContext ?? name;
  const findings = [
    ...checkDuplicateNames(parsed.data),
    ...checkReferences(parsed.data),
    ...checkAllowedGroups(parsed.data),
    ...checkMailboxes(parsed.data),
    ...checkLimits(parsed.data),
    ...checkLyncIntegration(parsed.data, phoneContextOf),
  ];
  // Other layers' checks assume references resolve; run them only on a referentially sound config.
  if (!findings.some((f) => f.code.startsWith('E_'))) {
    for (const check of options.checks ?? []) findings.push(...check(configuration));
  }
  return result(findings, source, configuration);
}

function describeTop(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document';
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `keys ${Object.keys(value).slice(0, 5).join(', ')}`;
}

/** Reads, parses and validates a configuration file; never throws for bad input. */
export function loadConfiguration(file: string, options: LoadConfigurationOptions = {}): LoadConfigurationResult {
  const path = resolve(file);
  const unreadable = (message: string, code = 'E_FILE_UNREADABLE'): LoadConfigurationResult => ({
    file: path, readable: false, configuration: undefined,
    diagnostics: [{ severity: 'error', code, message, path: [], property: '', file: path }],
  });
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return unreadable('not a regular file');
    if (stat.size > MAX_CONFIG_BYTES) return unreadable(`the file is ${stat.size} bytes; a configuration may be at most ${MAX_CONFIG_BYTES}`, 'E_FILE_TOO_LARGE');
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return unreadable(`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return loadConfigurationText(text, path, options);
}

/** Like loadConfiguration, but throws ConfigurationInvalidError unless the file is valid. */
export function loadValidConfiguration(file: string, options: LoadConfigurationOptions = {}): { configuration: OpenumConfiguration; warnings: Diagnostic[] } {
  const result = loadConfiguration(file, options);
  if (!result.configuration) throw new ConfigurationInvalidError(result.diagnostics);
  return { configuration: result.configuration, warnings: result.diagnostics };
}
