import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { validateConfigurationFile } from '../../app/index.js';
import type { OpenumConfiguration } from '../../config/index.js';
import { formatDiagnostic } from '../../config/index.js';
import { OpenumError } from '../../errors.js';
import type { CustomPromptTarget } from '../../media/index.js';
import { customPromptFileName, customPromptPath, importAudioFile } from '../../media/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';
import { UsageError } from './check-dial.js';

/** Custom prompts live here, below Server.DataDirectory (the arbitration mailbox of Exchange). */
export const CUSTOM_PROMPTS_SUBDIRECTORY = 'prompts';

/** Options of `openum prompts import`. */
export interface PromptsImportOptions {
  config: string;
  dialPlan?: string;
  autoAttendant?: string;
  as: string;
  /** The ffmpeg command (default $FFMPEG_PATH, else ffmpeg on the PATH). */
  ffmpeg?: string;
}

/** The Exchange properties that name a custom prompt of each kind of owner. */
const PROMPT_PROPERTIES = {
  dialPlan: ['WelcomeGreetingFilename', 'InfoAnnouncementFilename'],
  autoAttendant: [
    'BusinessHoursWelcomeGreetingFilename',
    'AfterHoursWelcomeGreetingFilename',
    'BusinessHoursMainMenuCustomPromptFilename',
    'AfterHoursMainMenuCustomPromptFilename',
  ],
} as const;

/** Where custom prompts of a configuration are stored. */
export function customPromptsDirectory(configuration: OpenumConfiguration): string {
  return join(configuration.Server.DataDirectory, CUSTOM_PROMPTS_SUBDIRECTORY);
}

/** The configured owner (matched case-insensitively, as Exchange names are) and its prompt properties. */
function findOwner(configuration: OpenumConfiguration, options: PromptsImportOptions): { target: CustomPromptTarget; label: string; properties: Record<string, unknown> } {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (options.dialPlan !== undefined) {
    const dialPlan = configuration.UMDialPlans.find((d) => same(d.Name, options.dialPlan!));
    if (!dialPlan) throw new UsageError(`no dial plan named "${options.dialPlan}" in ${configuration.sourceFile}`);
    return { target: { dialPlan: dialPlan.Name, name: options.as }, label: `dial plan ${dialPlan.Name}`, properties: dialPlan };
  }
  const autoAttendant = configuration.UMAutoAttendants.find((a) => same(a.Name, options.autoAttendant!));
  if (!autoAttendant) throw new UsageError(`no auto attendant named "${options.autoAttendant}" in ${configuration.sourceFile}`);
  return { target: { autoAttendant: autoAttendant.Name, name: options.as }, label: `auto attendant ${autoAttendant.Name}`, properties: autoAttendant };
}

/** Properties of the owner that already name this prompt file (by openum's name mapping). */
function referencingProperties(kind: keyof typeof PROMPT_PROPERTIES, properties: Record<string, unknown>, fileName: string): string[] {
  return PROMPT_PROPERTIES[kind].filter((p) => {
    const value = properties[p];
    if (typeof value !== 'string') return false;
    try {
      return customPromptFileName(value) === fileName;
    } catch {
      return false;
    }
  });
}

/**
 * `openum prompts import <file> --config <file> (--dial-plan X | --auto-attendant Y) --as <Name>`:
 * converts the audio to 8 kHz mono 16-bit WAV and stores it as the owner's custom prompt; prints the
 * stored path. Exit 0 stored; 1 ffmpeg cannot decode the file (or it holds no audio); 2 usage errors:
 * bad options or name, unreadable input or configuration, unknown dial plan or auto attendant, no
 * ffmpeg.
 */
export async function runPromptsImport(file: string, options: PromptsImportOptions, io: CommandOutput): Promise<ExitCodeValue> {
  try {
    if ((options.dialPlan === undefined) === (options.autoAttendant === undefined)) {
      throw new UsageError('give exactly one of --dial-plan <name> or --auto-attendant <name>');
    }
    let fileName: string;
    try {
      fileName = customPromptFileName(options.as);
    } catch (error) {
      throw new UsageError(`--as: ${(error as Error).message}`);
    }
    try {
      if (!(await stat(file)).isFile()) throw new UsageError(`${file}: not a file`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${file}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const result = validateConfigurationFile(options.config);
    for (const d of result.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(d));
    if (!result.configuration) {
      io.err(`${result.file}: the configuration has errors; run openum validate for the full list`);
      return ExitCode.Usage;
    }
    const configuration = result.configuration as OpenumConfiguration;
    const owner = findOwner(configuration, options);
    const destination = customPromptPath(customPromptsDirectory(configuration), owner.target);
    const imported = await importAudioFile(file, destination, options.ffmpeg === undefined ? {} : { ffmpegPath: options.ffmpeg });
    io.out(imported.path);
    const kind = owner.target.dialPlan !== undefined ? 'dialPlan' : 'autoAttendant';
    if (referencingProperties(kind, owner.properties, fileName).length === 0) {
      io.err(`note: no property of ${owner.label} names ${fileName} yet; set one of ${PROMPT_PROPERTIES[kind].join(', ')} to "${fileName}"`);
    }
    return ExitCode.Ok;
  } catch (error) {
    if (!(error instanceof OpenumError)) throw error;
    io.err(`openum: ${error.message}`);
    return error.code === 'OPENUM_CLI_USAGE' || error.code === 'OPENUM_MEDIA_FFMPEG_MISSING' ? ExitCode.Usage : ExitCode.Failed;
  }
}

/** Adds `openum prompts …` (custom prompt management) to the command line. */
export function registerPromptsCommands(program: Command, io: CommandOutput, setExit: (code: number) => void): void {
  const prompts = program.command('prompts').description('custom prompts of dial plans and auto attendants');
  prompts
    .command('import')
    .description('convert an audio file to a custom prompt (8 kHz mono WAV) and store it; prints the stored path')
    .argument('<file>', 'any audio ffmpeg can decode (WAV, MP3, WMA, …)')
    .requiredOption('--config <file>', 'configuration file (the prompt is stored under Server.DataDirectory/prompts)')
    .addOption(new Option('--dial-plan <name>', 'the dial plan whose prompt this is').conflicts('autoAttendant'))
    .addOption(new Option('--auto-attendant <name>', 'the auto attendant whose prompt this is').conflicts('dialPlan'))
    .requiredOption('--as <name>', 'the prompt file name the property names, e.g. welcome.wav (WelcomeGreetingFilename)')
    .option('--ffmpeg <command>', 'ffmpeg to run (default $FFMPEG_PATH, else ffmpeg on the PATH)')
    .action(async (file: string, options: PromptsImportOptions) => setExit(await runPromptsImport(file, options, io)));
}
