import { z } from 'zod';
import { exchangeEnum, exchangeObject, multiValued, objectName } from './common.js';

const IGNORED = ['HuntGroups', 'Simulator', 'GatewayIPAddress', 'IPAddressFamily', 'IPAddressFamilyConfigurable', 'DelayedSourcePartyInfoEnabled', 'ForwardingAddress', 'NumberOfDigitsInExtension', 'GlobalCallRoutingScheme'] as const;

/** UMIPGateways[] — spec §0.2. Only these peers may send requests in. */
export const umIPGatewaySchema = exchangeObject({
  Name: objectName,
  Address: z.string().min(1).regex(/^[^\s/]+$/, { message: 'an IP address or host name' }),
  Port: z.number().int().min(1).max(65535).default(5060),
  Transport: exchangeEnum(['UDP', 'TCP', 'TLS']).default('TCP'),
  OutcallsAllowed: z.boolean().default(true),
  MessageWaitingIndicatorAllowed: z.boolean().default(true),
  Status: exchangeEnum(['Enabled', 'Disabled']).default('Enabled'),
  UMDialPlans: multiValued(z.string().min(1)).default([]),
  PilotIdentifiers: multiValued(z.string().min(1)).default([]),
}, IGNORED);

/** A validated UM IP gateway. */
export type UMIPGateway = z.output<typeof umIPGatewaySchema>;
