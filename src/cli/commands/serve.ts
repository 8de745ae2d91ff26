import { loadConfigurationFile } from '../../app/index.js';
import { formatDiagnostic } from '../../config/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';
import { summarizeConfiguration } from './validate.js';

/**
 * `openum serve --config <file>`. The SIP and media engine is not built yet (issue 3), so for now it
 * validates the configuration and summarises what it would serve.
 */
export function runServe(file: string, io: CommandOutput): ExitCodeValue {
  const { configuration, warnings } = loadConfigurationFile(file);
  for (const w of warnings) io.out(formatDiagnostic(w));
  for (const line of summarizeConfiguration(configuration)) io.out(line);
  io.out('openum: configuration is valid; the SIP/RTP engine is not part of this build yet, nothing is listening');
  return ExitCode.Ok;
}
