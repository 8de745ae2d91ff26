import { OpenumError } from '../errors.js';
import type { Diagnostic } from './diagnostic.js';
import { formatDiagnostic } from './diagnostic.js';

/** The configuration has errors; `diagnostics` lists every one (and the warnings). */
export class ConfigurationInvalidError extends OpenumError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('OPENUM_CONFIG_INVALID', `configuration has ${errors.length} error(s):\n${errors.map(formatDiagnostic).join('\n')}`);
    this.diagnostics = diagnostics;
  }
}
