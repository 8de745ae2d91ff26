import { z } from 'zod';
import { digits, exchangeEnum, exchangeObject, integer, multiValued, objectName, phoneNumber, promptFileName } from './common.js';
import { dialingRuleEntry } from './dialing-rule-entry.js';

/** Exchange properties of a dial plan that openum accepts from an export but does not use. */
const IGNORED = [
  'UMServers', 'UMMailboxPolicies', 'UMAutoAttendants', 'UMIPGateway', 'ExtensionLengthNumbersAllowed',
  'MatchedNameSelectionMethod', 'SendVoiceMsgEnabled', 'FaxEnabled', 'CallSomeoneEnabled', 'ContactScope',
  'ContactAddressList', 'ContactRecipientContainer', 'OperatorExtension', 'InfoAnnouncementEnabled',
  'TUIPromptEditingEnabled', 'AvailableLanguages', 'DefaultLanguage', 'AutomaticSpeechRecognitionEnabled',
  'CallAnsweringRulesEnabled', 'WelcomeGreetingEnabled', 'LegacyPromptPublishingPoint', 'PilotIdentifierList',
  'UMAutoAttendant', 'Extension', 'GenerateUMAudioFile', 'SubscriberType', 'UMServerName',
] as const;

/** UMDialPlans[] — spec §0.1. Durations: minutes, except RecordingIdleTimeout (seconds). */
export const umDialPlanSchema = exchangeObject({
  Name: objectName,
  PhoneContext: z.string().min(1).optional(),
  URIType: exchangeEnum(['TelExtn', 'E164', 'SipName']).default('TelExtn'),
  NumberOfDigitsInExtension: integer(1, 20),
  CountryOrRegionCode: digits(1, 4).optional(),
  OutsideLineAccessCode: digits(1, 16).optional(),
  InternationalAccessCode: digits(1, 4).optional(),
  NationalNumberPrefix: digits(1, 4).optional(),
  InCountryOrRegionNumberFormat: z.string().optional(),
  InternationalNumberFormat: z.string().optional(),
  NumberingPlanFormats: multiValued(z.string().regex(/^[\dxX*+]+$/, { message: 'a number mask of digits, x and *' })).default([]),
  ConfiguredInCountryOrRegionGroups: z.array(dialingRuleEntry).default([]),
  ConfiguredInternationalGroups: z.array(dialingRuleEntry).default([]),
  AllowDialPlanSubscribers: z.boolean().default(true),
  AllowExtensions: z.boolean().default(false),
  AllowedInCountryOrRegionGroups: multiValued(z.string().min(1)).default([]),
  AllowedInternationalGroups: multiValued(z.string().min(1)).default([]),
  AccessTelephoneNumbers: multiValued(phoneNumber).default([]),
  AudioCodec: exchangeEnum(['G711', 'Gsm', 'Wma', 'Mp3']).default('Mp3'),
  MaxRecordingDuration: integer(1, 100).default(20),
  MaxCallDuration: integer(10, 120).default(30),
  RecordingIdleTimeout: integer(2, 10).default(5),
  InputFailuresBeforeDisconnect: integer(1, 20).default(3),
  LogonFailuresBeforeDisconnect: integer(1, 20).default(3),
  VoIPSecurity: exchangeEnum(['Unsecured', 'SIPSecured', 'Secured']).default('Unsecured'),
  DialByNamePrimary: exchangeEnum(['LastFirst', 'FirstLast', 'SMTPAddress']).default('LastFirst'),
  DialByNameSecondary: exchangeEnum(['LastFirst', 'FirstLast', 'SMTPAddress', 'None']).default('SMTPAddress'),
  DefaultOutboundCallingLineId: phoneNumber.optional(),
  EquivalentDialPlanPhoneContexts: multiValued(z.string().min(1)).default([]),
  AllowHeuristicADCallingLineIdResolution: z.boolean().default(true),
  WelcomeGreetingFilename: promptFileName.optional(),
  InfoAnnouncementFilename: promptFileName.optional(),
}, IGNORED);

/** A validated dial plan as parsed, before defaults that need the server domain. */
export type UMDialPlanInput = z.output<typeof umDialPlanSchema>;
/** A validated dial plan: PhoneContext always set. */
export type UMDialPlan = UMDialPlanInput & { PhoneContext: string };
