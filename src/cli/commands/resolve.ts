import type { Command } from 'commander';
import { validateConfigurationFile } from '../../app/index.js';
import type { OpenumConfiguration } from '../../config/index.js';
import { formatDiagnostic } from '../../config/index.js';
import type { CallerNameResolution } from '../../directory/index.js';
import { Directory, resolveCallerName } from '../../directory/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** Options of `openum resolve`. */
export interface ResolveOptions {
  config: string;
  mailbox: string;
  json?: boolean;
}

/** JSON with every field present: what the resolution leaves undefined is written as null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v));
}

function headline(caller: string, r: CallerNameResolution): string {
  if (r.matched && r.name !== undefined) {
    return `${caller} → "${r.name}" at step ${r.step} (${r.stepName}): ${r.matched.kind} ${r.matched.id}, ${r.matched.attribute} ${r.matched.value}`;
  }
  return `${caller} → no name at step ${r.step} (${r.stepName}): shown as ${r.shown ?? 'anonymous'}`;
}

/**
 * `openum resolve`: which name a missed-call notification or voice mail would show for a caller of a
 * mailbox (spec §5), and why. Exit 0 whether or not a name is found; 2 for an unusable config or mailbox.
 */
export function runResolve(caller: string, options: ResolveOptions, io: CommandOutput): ExitCodeValue {
  const result = validateConfigurationFile(options.config);
  for (const d of result.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(d));
  if (!result.configuration) {
    io.err(`${result.file}: the configuration has errors; run openum validate for the full list`);
    return ExitCode.Usage;
  }
  const directory = new Directory(result.configuration as OpenumConfiguration);
  const mailbox = directory.findMailbox(options.mailbox);
  if (!mailbox) {
    io.err(`openum: no UM mailbox named "${options.mailbox}"`);
    return ExitCode.Usage;
  }
  const dialPlan = directory.dialPlanOfMailbox(mailbox);
  if (!dialPlan) {
    io.err(`openum: mailbox ${mailbox.Alias} has no dial plan (policy "${mailbox.UMMailboxPolicy}")`);
    return ExitCode.Usage;
  }
  const resolution = resolveCallerName(directory, { caller, calledMailbox: mailbox, dialPlan });
  if (options.json) {
    io.out(toJson({ caller, mailbox: mailbox.Alias, dialPlan: dialPlan.Name, ...resolution, matched: resolution.matched }));
  } else {
    io.out(headline(caller, resolution));
    for (const line of resolution.trace) io.out(`    ${line}`);
  }
  return ExitCode.Ok;
}

/** Registers `openum resolve --config <file> --mailbox <alias> [--json] <caller>` on the program. */
export function registerResolveCommand(program: Command, io: CommandOutput, setExit: (code: number) => void): void {
  program
    .command('resolve')
    .description('show which name caller-ID resolution gives a caller of a mailbox, and which step matched')
    .requiredOption('--config <file>', 'configuration file')
    .requiredOption('--mailbox <alias>', 'the called UM mailbox (its dial plan and personal contacts apply)')
    .option('--json', 'one JSON object with the decision and its trace')
    .argument('<caller>', 'caller ID: +E.164, digits, tel: or sip: URI, or "anonymous"')
    .action((caller: string, options: ResolveOptions) => setExit(runResolve(caller, options, io)));
}
