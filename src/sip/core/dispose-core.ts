import type { Logger } from 'pino';
import type { UserAgentCore } from 'sip.js/lib/core/index.js';

/**
 * Dispose of a core piece by piece. `UserAgentCore.dispose()` stops at the first dialog whose dispose
 * throws (e.g. a SessionDialog whose constructor threw half-way), leaving transaction timers running;
 * here every transaction and dialog is disposed on its own, so no core timer outlives the core.
 */
export function disposeCore(core: UserAgentCore, logger: Logger): void {
  const parts: Array<{ dispose(): void }> = [
    ...core.userAgentServers.values(),
    ...core.userAgentClients.values(),
    ...core.subscribers.values(),
    ...core.dialogs.values(),
  ];
  for (const part of parts) {
    try {
      part.dispose();
    } catch (error) {
      logger.debug({ err: error }, 'error disposing of a SIP core part');
    }
  }
  core.userAgentServers.clear();
  core.userAgentClients.clear();
  core.subscribers.clear();
  core.dialogs.clear();
}
