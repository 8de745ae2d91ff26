import { z } from 'zod';
import { exchangeEnum, exchangeObject, multiValued, phoneNumber, promptFileName } from './common.js';
import { keyMapping } from './key-mapping.js';
import { weeklyRange } from './schedule.js';

const IGNORED = [
  'SpeechEnabled', 'Language', 'HolidaySchedule', 'TimeZoneName',
  'MatchedNameSelectionMethod', 'BusinessLocation', 'WeekStartDay', 'InfoAnnouncementEnabled',
  'InfoAnnouncementFilename', 'NameLookupEnabled', 'StarOutToDialPlanEnabled', 'ForwardCallsToDefaultMailbox',
  'DefaultMailbox', 'BusinessName', 'SendVoiceMsgEnabled', 'BusinessHoursTransferToOperatorEnabled',
  'AfterHoursTransferToOperatorEnabled', 'AllowedInCountryGroups', 'ContactAddressList',
  'ContactRecipientContainer', 'AutomaticSpeechRecognitionEnabled', 'PromptPublishingPoint',
] as const;

/** IANA time zone names Node's ICU knows; `UTC` always works. */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** UMAutoAttendants[] — spec §0.4. */
export const umAutoAttendantSchema = exchangeObject({
  Name: z.string().min(1).max(64).regex(/^\S+$/, { message: 'a name without spaces' }),
  UMDialPlan: z.string().min(1),
  PilotIdentifierList: multiValued(phoneNumber).default([]),
  Status: exchangeEnum(['Enabled', 'Disabled']).default('Enabled'),
  AllowDialPlanSubscribers: z.boolean().default(true),
  AllowExtensions: z.boolean().default(false),
  AllowedInCountryOrRegionGroups: multiValued(z.string().min(1)).default([]),
  AllowedInternationalGroups: multiValued(z.string().min(1)).default([]),
  BusinessHoursSchedule: multiValued(weeklyRange).default([]),
  TimeZone: z.string().refine(isTimeZone, { message: 'an IANA time zone name such as Europe/Paris' }).default('UTC'),
  BusinessHoursWelcomeGreetingFilename: promptFileName.optional(),
  AfterHoursWelcomeGreetingFilename: promptFileName.optional(),
  BusinessHoursMainMenuCustomPromptFilename: promptFileName.optional(),
  AfterHoursMainMenuCustomPromptFilename: promptFileName.optional(),
  BusinessHoursKeyMappingEnabled: z.boolean().default(false),
  BusinessHoursKeyMapping: z.array(keyMapping).default([]),
  AfterHoursKeyMappingEnabled: z.boolean().default(false),
  AfterHoursKeyMapping: z.array(keyMapping).default([]),
  CallSomeoneEnabled: z.boolean().default(true),
  ContactScope: exchangeEnum(['DialPlan', 'GlobalAddressList']).default('DialPlan'),
  OperatorExtension: phoneNumber.optional(),
  DTMFFallbackAutoAttendant: z.string().min(1).optional(),
}, IGNORED);

/** A validated UM auto attendant. */
export type UMAutoAttendant = z.output<typeof umAutoAttendantSchema>;
