import type { ConfigurationInput } from './schema/configuration.js';
import type { UMDialPlan } from './schema/um-dial-plan.js';
import type { ServerSettings } from './schema/server.js';

/** Server settings with every path made absolute. */
export type ResolvedServerSettings = ServerSettings & {
  DataDirectory: string;
  Mail: ServerSettings['Mail'] & { Directory: string };
};

/**
 * A validated configuration with derived values filled in (dial plan phone contexts, absolute paths).
 * Deeply frozen once loaded: it is shared by every service.
 */
export type OpenumConfiguration = Omit<ConfigurationInput, 'UMDialPlans' | 'Server'> & {
  readonly UMDialPlans: UMDialPlan[];
  readonly Server: ResolvedServerSettings;
  /** The absolute path of the file it came from. */
  readonly sourceFile: string;
};
