import { Command, CommanderError, Option } from 'commander';
import { ConfigurationInvalidError, formatDiagnostic } from '../config/index.js';
import { OpenumError } from '../errors.js';
import { runCheckDial, SCENARIOS } from './commands/check-dial.js';
import { registerCredentialCommands } from './commands/credentials.js';
import { registerMailboxCommands } from './commands/mailbox.js';
import { registerPromptsCommands } from './commands/prompts.js';
import { registerResolveCommand } from './commands/resolve.js';
import type { CheckDialOptions } from './commands/check-dial.js';
import { runServe } from './commands/serve.js';
import { runValidate } from './commands/validate.js';
import { ExitCode } from './exit-codes.js';
import type { CommandOutput } from './output.js';
import { processOutput } from './output.js';

function buildProgram(io: CommandOutput, setExit: (code: number) => void): Command {
  const program = new Command('openum')
    .description('Open SIP unified-messaging server (Exchange 2010 UM behaviour)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('validate')
    .description('check a configuration file; exit 0 without errors, 1 with errors, 2 if unreadable')
    .argument('<file>', 'YAML or JSON configuration')
    .option('--json', 'one JSON document with every diagnostic')
    .action((file: string, options: { json?: boolean }) => setExit(runValidate(file, options, io)));

  program
    .command('check-dial')
    .description('decide dial strings under a scenario\'s dialing rules, or check a table of expectations')
    .requiredOption('--config <file>', 'configuration file')
    .addOption(new Option('--scenario <scenario>', 'who is dialling').choices([...SCENARIOS]))
    .option('--mailbox <alias>', 'the UM mailbox (play-on-phone, subscriber)')
    .option('--auto-attendant <name>', 'the auto attendant (auto-attendant)')
    .option('--dial-plan <name>', 'the dial plan (anonymous)')
    .option('--cases <file.csv>', 'CSV: scenario,subject,dialString,expect,expectDialed')
    .option('--json', 'one JSON object per line')
    .argument('[dialString...]', 'numbers or SIP URIs as a user would type them')
    .action((dialStrings: string[], options: CheckDialOptions) => setExit(runCheckDial(dialStrings, options, io)));

  program
    .command('serve')
    .description('run the server until SIGTERM (then drain calls and exit)')
    .requiredOption('--config <file>', 'configuration file')
    .addOption(new Option('--log-level <level>', 'override Server.LogLevel').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .action(async (options: { config: string; logLevel?: string }) => setExit(await runServe(options, io)));

  registerPromptsCommands(program, io, setExit);
  registerMailboxCommands(program, io, setExit);
  registerResolveCommand(program, io, setExit);
  registerCredentialCommands(program, io, setExit);
  return program;
}

/** Entry point of the `openum` command line; returns the process exit code. */
export async function main(argv: readonly string[], io: CommandOutput = processOutput): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse failure is a usage error.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof ConfigurationInvalidError) {
      for (const d of error.diagnostics) io.err(formatDiagnostic(d));
      return ExitCode.Usage;
    }
    if (error instanceof OpenumError) {
      io.err(`openum: ${error.message}`);
      return error.code === 'OPENUM_CLI_USAGE' || error.code === 'OPENUM_DIRECTORY_NOT_FOUND' ? ExitCode.Usage : ExitCode.Failed;
    }
    throw error;
  }
  return exitCode;
}
