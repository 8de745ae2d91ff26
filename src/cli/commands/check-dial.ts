import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { validateConfigurationFile } from '../../app/index.js';
import type { OpenumConfiguration } from '../../config/index.js';
import { formatDiagnostic } from '../../config/index.js';
import type { DialDecision } from '../../dialing/index.js';
import { formatTrace } from '../../dialing/index.js';
import type { DialSubject, DialSubjectScenario } from '../../directory/index.js';
import { authorizeSubjectDial, Directory } from '../../directory/index.js';
import { OpenumError } from '../../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** The scenarios of spec §2.1 as the command line names them. */
export const SCENARIOS: readonly DialSubjectScenario[] = ['play-on-phone', 'subscriber', 'anonymous', 'auto-attendant'];

/** Options of `openum check-dial`. */
export interface CheckDialOptions {
  config: string;
  scenario?: string;
  mailbox?: string;
  autoAttendant?: string;
  dialPlan?: string;
  cases?: string;
  json?: boolean;
}

/** A wrong command line; the CLI prints it and exits 2. */
export class UsageError extends OpenumError {
  constructor(message: string) {
    super('OPENUM_CLI_USAGE', message);
  }
}

/** JSON with every decision field present: a field the decision leaves undefined is written as null. */
function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v));
}

function decide(directory: Directory, subject: DialSubject, dialString: string): DialDecision {
  return authorizeSubjectDial(directory, subject, dialString);
}

function parseScenario(value: string | undefined): DialSubjectScenario {
  const scenario = SCENARIOS.find((s) => s === value);
  if (!scenario) throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}${value === undefined ? '' : ` (got "${value}")`}`);
  return scenario;
}

/** The subject the scenario needs: a mailbox for play-on-phone/subscriber, else a dial plan or AA. */
function subjectName(scenario: DialSubjectScenario, o: CheckDialOptions): string {
  const needed = scenario === 'anonymous' ? ['--dial-plan', o.dialPlan] : scenario === 'auto-attendant' ? ['--auto-attendant', o.autoAttendant] : ['--mailbox', o.mailbox];
  if (needed[1] === undefined) throw new UsageError(`--scenario ${scenario} needs ${needed[0]}`);
  return needed[1];
}

function describe(decision: DialDecision): string {
  const what = decision.category === undefined ? '' : ` ${decision.category}`;
  const prefixed = decision.prefixed === undefined ? '' : ` → ${decision.prefixed}`;
  if (decision.allowed) {
    const via = decision.entry ? ` by ${decision.group ?? ''} #${decision.entry.index} (${decision.entry.rule.NumberMask} → ${decision.entry.rule.DialedNumber})` : '';
    return `ALLOW ${decision.dialString}:${what}${prefixed}, dial ${decision.dialed ?? ''}${via}`;
  }
  return `DENY  ${decision.dialString}:${what}${prefixed} (${decision.reason ?? 'denied'}${decision.group ? `, group ${decision.group}` : ''})`;
}

function loadDirectory(file: string, io: CommandOutput): Directory | undefined {
  const result = validateConfigurationFile(file);
  for (const d of result.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(d));
  if (!result.configuration) {
    io.err(`${result.file}: the configuration has errors; run openum validate for the full list`);
    return undefined;
  }
  return new Directory(result.configuration as OpenumConfiguration);
}

/** `openum check-dial`: decisions for dial strings, or a table of expected decisions (`--cases`). */
export function runCheckDial(dialStrings: readonly string[], options: CheckDialOptions, io: CommandOutput): ExitCodeValue {
  if (options.cases !== undefined && dialStrings.length > 0) throw new UsageError('give either --cases or dial strings, not both');
  if (options.cases === undefined && dialStrings.length === 0) throw new UsageError('give dial strings to check, or --cases <file.csv>');
  const scenario = options.cases === undefined ? parseScenario(options.scenario) : undefined;
  const subject = scenario === undefined ? undefined : subjectName(scenario, options);
  let casesText: string | undefined;
  if (options.cases !== undefined) {
    try {
      casesText = readFileSync(options.cases, 'utf8');
    } catch (error) {
      io.err(`${options.cases}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return ExitCode.Usage;
    }
  }
  const directory = loadDirectory(options.config, io);
  if (!directory) return ExitCode.Usage;
  if (casesText !== undefined) return runCases(directory, options.cases ?? '', casesText, options, io);

  const dialSubject = directory.dialSubject(scenario!, subject!);
  let denied = 0;
  for (const dialString of dialStrings) {
    const decision = decide(directory, dialSubject, dialString);
    if (!decision.allowed) denied++;
    if (options.json) {
      io.out(toJsonLine({ scenario, subject, governedBy: dialSubject.governedBy, ...decision }));
    } else {
      io.out(describe(decision));
      for (const line of formatTrace(decision)) io.out(`    ${line}`);
    }
  }
  return denied === 0 ? ExitCode.Ok : ExitCode.Failed;
}

/** One row of a cases file. */
interface DialCase {
  line: number;
  scenario: string;
  subject: string;
  dialString: string;
  expect: string;
  expectDialed: string;
}

const CASE_COLUMNS = ['scenario', 'subject', 'dialString', 'expect', 'expectDialed'] as const;

function readCases(file: string, text: string): DialCase[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', info: true }) as unknown as typeof rows;
  } catch (error) {
    throw new UsageError(`${file}: not a CSV file: ${(error as Error).message}`);
  }
  const header = rows[0]?.record;
  if (!header || CASE_COLUMNS.some((c, i) => header[i] !== c)) {
    throw new UsageError(`${file}: the first line must be the header ${CASE_COLUMNS.join(',')}`);
  }
  return rows.slice(1).map(({ record, info }) => {
    const [scenario = '', subject = '', dialString = '', expect = '', expectDialed = ''] = record;
    return { line: info.lines, scenario, subject, dialString, expect: expect.toLowerCase(), expectDialed };
  });
}

function runCases(directory: Directory, file: string, text: string, options: CheckDialOptions, io: CommandOutput): ExitCodeValue {
  const cases = readCases(file, text);
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const where = `${file}:${c.line}`;
    let problem: string | undefined;
    let decision: DialDecision | undefined;
    try {
      if (c.expect !== 'allow' && c.expect !== 'deny') throw new UsageError(`expect must be allow or deny, got "${c.expect}"`);
      decision = decide(directory, directory.dialSubject(parseScenario(c.scenario), c.subject), c.dialString);
      const got = decision.allowed ? 'allow' : 'deny';
      if (got !== c.expect) problem = `expected ${c.expect}, got ${got}${decision.reason ? ` (${decision.reason})` : ''}`;
      else if (c.expectDialed !== '' && decision.dialed !== c.expectDialed) problem = `expected to dial ${c.expectDialed}, got ${decision.dialed ?? 'nothing'}`;
    } catch (error) {
      if (!(error instanceof OpenumError)) throw error;
      problem = error.message;
    }
    if (problem === undefined) {
      passed++;
    } else {
      failed++;
      if (options.json) {
        io.out(toJsonLine({ file, line: c.line, case: c, problem, decision }));
      } else {
        io.out(`FAIL ${where}: ${c.scenario} ${c.subject} ${JSON.stringify(c.dialString)}: ${problem}`);
        if (decision) for (const line of formatTrace(decision)) io.out(`    ${line}`);
      }
    }
  }
  io.out(options.json ? toJsonLine({ passed, failed }) : `${passed} passed, ${failed} failed`);
  return failed === 0 ? ExitCode.Ok : ExitCode.Failed;
}
