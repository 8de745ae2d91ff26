import { z } from 'zod';
import { exchangeObject, integer, multiValued, objectName, unlimitedOr } from './common.js';

const IGNORED = [
  'UMEnabledText', 'ResetPINText', 'VoiceMailText', 'FaxMessageText', 'AllowFax',
  'AllowTUIAccessToCalendar', 'AllowTUIAccessToEmail', 'AllowTUIAccessToPersonalContacts',
  'AllowTUIAccessToDirectory', 'AllowASR', 'AllowVoiceMailPreview', 'AllowCallAnsweringRules',
  'AllowVoiceResponseToOtherMessageTypes', 'AllowAutomaticSpeechRecognition', 'AllowVoiceMailAnalysis',
  'AllowVoiceNotification', 'FaxServerURI', 'AllowedInCountryGroups',
  'InformCallerOfVoiceMailAnalysis', 'ProtectUnauthenticatedVoiceMail', 'ProtectAuthenticatedVoiceMail',
  'ProtectedVoiceMailText', 'RequireProtectedPlayOnPhone', 'AllowIRMEmailsToBeOpenedOverThePhone',
  'SourceForestPolicyNames', 'UMEnabledUsers', 'VoiceMailPreviewPartnerAddress',
  'VoiceMailPreviewPartnerAssignedID', 'VoiceMailPreviewPartnerMaxMessageDuration',
  'VoiceMailPreviewPartnerMaxDeliveryDelay',
] as const;

/** UMMailboxPolicies[] — spec §0.3. PINLifetime in days; MaxGreetingDuration in minutes. */
export const umMailboxPolicySchema = exchangeObject({
  Name: objectName,
  UMDialPlan: z.string().min(1),
  AllowDialPlanSubscribers: z.boolean().default(true),
  AllowExtensions: z.boolean().default(true),
  AllowedInCountryOrRegionGroups: multiValued(z.string().min(1)).default([]),
  AllowedInternationalGroups: multiValued(z.string().min(1)).default([]),
  AllowMissedCallNotifications: z.boolean().default(true),
  AllowPlayOnPhone: z.boolean().default(true),
  AllowMessageWaitingIndicator: z.boolean().default(true),
  AllowSubscriberAccess: z.boolean().default(true),
  AllowPinlessVoiceMailAccess: z.boolean().default(false),
  AllowCommonPatterns: z.boolean().default(false),
  MinPINLength: integer(4, 24).default(6),
  PINLifetime: unlimitedOr(1, 999).default(60),
  PINHistoryCount: integer(1, 20).default(5),
  LogonFailuresBeforePINReset: unlimitedOr(0, 999).default(5),
  MaxLogonAttempts: integer(1, 999).default(15),
  MaxGreetingDuration: integer(1, 10).default(5),
}, IGNORED);

/** A validated UM mailbox policy. */
export type UMMailboxPolicy = z.output<typeof umMailboxPolicySchema>;
