import { z } from 'zod';
import { exchangeEnum, multiValued } from './common.js';

/** Integration — the signalling side, for the Lync/OCS rules of spec §10 (optional). */
export const integrationSchema = z.strictObject({
  SignallingServer: exchangeEnum(['OCS2007', 'OCS2007R2', 'Lync2010']),
  ExchangeVersion: exchangeEnum(['2007SP1', '2010', '2010SP1']),
  LocationProfiles: multiValued(z.string().min(1)).default([]),
  LyncMediaEncryption: exchangeEnum(['Required', 'Supported', 'NotSupported']).optional(),
  /** Dial plans the signalling server routes to; default: every dial plan in the file. */
  UMDialPlans: multiValued(z.string().min(1)).optional(),
});

/** The validated Integration block. */
export type Integration = z.output<typeof integrationSchema>;
