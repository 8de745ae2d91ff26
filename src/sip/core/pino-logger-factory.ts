import { Levels, LoggerFactory } from 'sip.js/lib/core/index.js';
import type { Logger } from 'pino';

/**
 * A SIP.js `LoggerFactory` that writes to pino instead of the console. SIP.js's "log" level is chatty
 * per-message detail, so it maps to pino debug, and its debug to trace.
 */
export function createPinoLoggerFactory(logger: Logger): LoggerFactory {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  factory.level = Levels.debug;
  const children = new Map<string, Logger>();
  factory.connector = (level, category, label, content) => {
    let child = children.get(category);
    if (!child) {
      child = logger.child({ sip: category });
      children.set(category, child);
    }
    const text = typeof content === 'string' ? content : String(content);
    const fields = label === undefined ? {} : { label };
    switch (level) {
      case 'error': child.error(fields, text); break;
      case 'warn': child.warn(fields, text); break;
      case 'log': child.debug(fields, text); break;
      default: child.trace(fields, text);
    }
  };
  return factory;
}
