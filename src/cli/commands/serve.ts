import { pino } from 'pino';
import type { Logger } from 'pino';
import { loadConfigurationFile, startNode } from '../../app/index.js';
import { formatDiagnostic } from '../../config/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** Options of `openum serve`. */
export interface ServeOptions {
  config: string;
  logLevel?: string;
}

/**
 * `openum serve --config <file>`: runs the node until SIGTERM/SIGINT, then stops accepting calls (503),
 * lets active calls finish for Server.ShutdownGracePeriod seconds and exits.
 */
export async function runServe(options: ServeOptions, io: CommandOutput, signals: NodeJS.EventEmitter = process): Promise<ExitCodeValue> {
  const { configuration, warnings } = loadConfigurationFile(options.config);
  for (const w of warnings) io.err(formatDiagnostic(w));
  const logger: Logger = pino({ level: options.logLevel ?? configuration.Server.LogLevel, base: { service: 'openum' } });
  const server = await startNode(configuration, { logger });
  // A bug that escapes every guard must not take calls down silently: log it loudly and keep serving.
  const onFault = (error: unknown) => logger.error({ err: error }, 'uncaught exception');
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
  await new Promise<void>((resolve) => {
    let stopping: Promise<void> | undefined;
    const stop = (signal: string) => {
      // One drain, however many signals: a second SIGTERM/SIGINT must neither close the store under
      // calls still saving messages nor fall through to Node's default (kill without BYE).
      if (stopping) return logger.warn({ signal }, 'already stopping; waiting for calls to finish');
      logger.info({ signal }, 'stopping');
      stopping = server.drain(configuration.Server.ShutdownGracePeriod * 1000).finally(resolve);
    };
    signals.on('SIGTERM', () => stop('SIGTERM'));
    signals.on('SIGINT', () => stop('SIGINT'));
  });
  process.off('uncaughtException', onFault);
  process.off('unhandledRejection', onFault);
  logger.info('stopped');
  return ExitCode.Ok;
}
