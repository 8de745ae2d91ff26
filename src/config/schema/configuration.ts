import { z } from 'zod';
import { contactSchema, umMailboxSchema } from './um-mailbox.js';
import { integrationSchema } from './integration.js';
import { serverSchema } from './server.js';
import { umAutoAttendantSchema } from './um-auto-attendant.js';
import { umDialPlanSchema } from './um-dial-plan.js';
import { umIPGatewaySchema } from './um-ip-gateway.js';
import { umMailboxPolicySchema } from './um-mailbox-policy.js';

/** The top-level keys, each an Exchange object collection, plus Server and Integration. */
export const TOP_LEVEL_KEYS = ['UMDialPlans', 'UMIPGateways', 'UMMailboxPolicies', 'UMAutoAttendants', 'UMMailboxes', 'Contacts', 'Server', 'Integration', 'TestFixture'] as const;

/** The whole file (spec §0). */
export const configurationSchema = z.strictObject({
  UMDialPlans: z.array(umDialPlanSchema).default([]),
  UMIPGateways: z.array(umIPGatewaySchema).default([]),
  UMMailboxPolicies: z.array(umMailboxPolicySchema).default([]),
  UMAutoAttendants: z.array(umAutoAttendantSchema).default([]),
  UMMailboxes: z.array(umMailboxSchema).default([]),
  Contacts: z.array(contactSchema).default([]),
  Server: serverSchema.default(serverSchema.parse({})),
  Integration: integrationSchema.optional(),
  /** Marks a test fixture: clear-text PINs are accepted (with a warning). */
  TestFixture: z.boolean().default(false),
});

/** The file as validated, before derived values are filled in. */
export type ConfigurationInput = z.output<typeof configurationSchema>;
