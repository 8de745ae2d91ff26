import type { Logger } from 'pino';
import { InviteServerTransaction, NonInviteServerTransaction, TransactionState, UserAgentServer } from 'sip.js/lib/core/index.js';
import type { IncomingRequest, UserAgentCoreDelegate } from 'sip.js/lib/core/index.js';

/** Whether a server transaction can still take a final response. */
export function canStillReject(uas: UserAgentServer): boolean {
  const transaction = uas.transaction;
  if (transaction instanceof InviteServerTransaction) return transaction.state === TransactionState.Proceeding;
  if (transaction instanceof NonInviteServerTransaction) {
    return transaction.state === TransactionState.Trying || transaction.state === TransactionState.Proceeding;
  }
  return false;
}

function rejectAfterFailure(request: IncomingRequest, logger: Logger, error: unknown, what: string): void {
  logger.error({ err: error }, `application ${what} handler threw; answering 500`);
  try {
    if (request instanceof UserAgentServer && canStillReject(request)) request.reject({ statusCode: 500 });
  } catch (rejectError) {
    logger.error({ err: rejectError }, 'could not answer 500 after application failure');
  }
}

type UasHandlerName = 'onMessage' | 'onNotify' | 'onRefer' | 'onRegister' | 'onSubscribe';
const UAS_HANDLERS: readonly UasHandlerName[] = ['onMessage', 'onNotify', 'onRefer', 'onRegister', 'onSubscribe'];

/**
 * Wraps the application's delegate for one core: sends 100 Trying at once for every INVITE (the core
 * does not, invite-server-transaction.ts:50-55), and turns an exception in application code into a 500
 * instead of letting it unwind through the core. Only handlers the application defines are installed, so
 * the core's own defaults (e.g. 405 for REFER) still apply to the rest.
 */
export function wrapApplicationDelegate(application: UserAgentCoreDelegate, logger: Logger): UserAgentCoreDelegate {
  const wrapped: UserAgentCoreDelegate = {
    onInvite: (uas) => {
      try {
        uas.trying();
      } catch (error) {
        logger.warn({ err: error }, 'could not send 100 Trying');
      }
      try {
        if (application.onInvite) application.onInvite(uas);
        else uas.reject({ statusCode: 480 });
      } catch (error) {
        rejectAfterFailure(uas, logger, error, 'INVITE');
      }
    },
  };
  for (const name of UAS_HANDLERS) {
    const handler = application[name] as ((uas: IncomingRequest) => void) | undefined;
    if (!handler) continue;
    (wrapped as Record<UasHandlerName, (uas: IncomingRequest) => void>)[name] = (uas: IncomingRequest) => {
      try {
        handler.call(application, uas);
      } catch (error) {
        rejectAfterFailure(uas, logger, error, name);
      }
    };
  }
  return wrapped;
}
