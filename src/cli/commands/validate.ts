import { validateConfigurationFile } from '../../app/index.js';
import type { Diagnostic, OpenumConfiguration } from '../../config/index.js';
import { formatDiagnostic } from '../../config/index.js';
import { ExitCode } from '../exit-codes.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { CommandOutput } from '../output.js';

/** Options of `openum validate`. */
export interface ValidateOptions {
  json?: boolean;
}

/** One line per collection: what the file defines. */
export function summarizeConfiguration(c: OpenumConfiguration): string[] {
  return [
    `${c.UMDialPlans.length} dial plan(s): ${c.UMDialPlans.map((d) => `${d.Name} (${d.URIType}, ${d.NumberOfDigitsInExtension}-digit extensions, ${d.ConfiguredInCountryOrRegionGroups.length + d.ConfiguredInternationalGroups.length} rule entries)`).join(', ') || 'none'}`,
    `${c.UMIPGateways.length} gateway(s): ${c.UMIPGateways.map((g) => `${g.Name} ${g.Transport} ${g.Address}:${g.Port}${g.OutcallsAllowed ? ' outcalls' : ''}${g.Status === 'Disabled' ? ' disabled' : ''}`).join(', ') || 'none'}`,
    `${c.UMMailboxPolicies.length} mailbox polic(ies), ${c.UMAutoAttendants.length} auto attendant(s), ${c.UMMailboxes.length} UM mailbox(es), ${c.Contacts.length} contact(s)`,
    `SIP ${c.Server.Sip.Listen.join(' ')}; RTP ${c.Server.Rtp.Address}:${c.Server.Rtp.PortMin}-${c.Server.Rtp.PortMax}; HTTP ${c.Server.Http.Listen}; data in ${c.Server.DataDirectory}`,
  ];
}

function counts(diagnostics: readonly Diagnostic[]) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}

/** `openum validate <file> [--json]`: 0 no errors, 1 errors, 2 unreadable file. */
export function runValidate(file: string, options: ValidateOptions, io: CommandOutput): ExitCodeValue {
  const result = validateConfigurationFile(file);
  const { errors, warnings } = counts(result.diagnostics);
  if (options.json) {
    io.out(JSON.stringify({ file: result.file, valid: errors === 0 && result.readable, errors, warnings, diagnostics: result.diagnostics }));
  } else {
    for (const d of result.diagnostics) (d.severity === 'error' ? io.err : io.out)(formatDiagnostic(d));
    if (result.configuration) for (const line of summarizeConfiguration(result.configuration)) io.out(line);
    io.out(`${result.file}: ${errors} error(s), ${warnings} warning(s)`);
  }
  if (!result.readable) return ExitCode.Usage;
  return errors === 0 ? ExitCode.Ok : ExitCode.Failed;
}
