import { z } from 'zod';
import { byteQuantifiedSize, exchangeEnum, exchangeObject, multiValued, phoneNumber, sipUri } from './common.js';

const IGNORED = [
  'Name', 'RecipientTypeDetails', 'UMEnabled', 'UMDtmfMap', 'UMAddresses', 'UMServerWritableFlags',
  'OperatorNumber', 'PhoneProviderId', 'PhoneNumber', 'AirSyncNumbers', 'FaxEnabled', 'TUIAccessToCalendarEnabled',
  'TUIAccessToEmailEnabled', 'CallAnsweringRulesEnabled', 'AllowUMCallsFromNonUsers', 'UMSMSNotificationOption',
  'AutomaticSpeechRecognitionEnabled', 'VoiceMailAnalysisEnabled', 'PinlessAccessToVoiceMailEnabled',
  'ImListMigrationCompleted', 'ExchangeGuid', 'UMDialPlan', 'EmailAddresses',
] as const;

/** One entry of a mailbox's Contacts folder, consulted last by caller-ID resolution (spec §5 step 6). */
export const personalContactSchema = z.strictObject({
  DisplayName: z.string().min(1),
  BusinessPhone: phoneNumber.optional(),
  Phone: phoneNumber.optional(),
  MobilePhone: phoneNumber.optional(),
  HomePhone: phoneNumber.optional(),
  OtherTelephone: multiValued(phoneNumber).default([]),
  SIP: sipUri.optional(),
  EmailAddress: z.string().optional(),
});

/** UMMailboxes[] — a UM-enabled user with the directory attributes UM reads (spec §0.5). */
export const umMailboxSchema = exchangeObject({
  Alias: z.string().min(1).max(64).regex(/^[^\s,]+$/, { message: 'an alias without spaces or commas' }),
  DisplayName: z.string().min(1).max(256),
  FirstName: z.string().max(64).optional(),
  LastName: z.string().max(64).optional(),
  PrimarySmtpAddress: z.string().regex(/^[^@\s]+@[^@\s]+$/, { message: 'an SMTP address such as kim@contoso.com' }),
  UMMailboxPolicy: z.string().min(1),
  Extensions: multiValued(z.string().regex(/^\d{1,20}$/, { message: 'an extension of digits' })).default([]),
  SIPResourceIdentifier: z.string().min(1).optional(),
  UMCallingLineIds: multiValued(z.string().regex(/^\+?\d{1,32}$/, { message: 'digits with an optional leading +' })).default([]),
  LineURI: z.string().regex(/^tel:\+?\d+(;ext=\d+)?$/i, { message: 'a Lync line URI such as tel:+14255550101;ext=50101' }).optional(),
  Phone: phoneNumber.optional(),
  MobilePhone: phoneNumber.optional(),
  HomePhone: phoneNumber.optional(),
  OtherTelephone: multiValued(phoneNumber).default([]),
  MissedCallNotificationEnabled: z.boolean().default(true),
  PlayOnPhoneEnabled: z.boolean().default(true),
  SubscriberAccessEnabled: z.boolean().default(true),
  AnonymousCallersCanLeaveMessages: z.boolean().default(true),
  CallAnsweringAudioCodec: exchangeEnum(['G711', 'Gsm', 'Wma', 'Mp3']).optional(),
  PlayOnPhoneDialString: z.string().optional(),
  PIN: z.string().min(1).optional(),
  PINExpired: z.boolean().default(false),
  PersonalContacts: z.array(personalContactSchema).default([]),
  /** Mailbox size limit (voice messages and greetings count); a full mailbox takes no messages. */
  ProhibitSendReceiveQuota: byteQuantifiedSize.default('Unlimited'),
}, IGNORED);

/** A validated UM-enabled mailbox. */
export type UMMailbox = z.output<typeof umMailboxSchema>;
/** A validated personal contact. */
export type PersonalContact = z.output<typeof personalContactSchema>;

/** Contacts[] — directory entries that are not UM users, for caller-ID resolution (spec §5 step 5). */
export const contactSchema = exchangeObject({
  Alias: z.string().min(1).max(64),
  DisplayName: z.string().min(1).max(256),
  FirstName: z.string().max(64).optional(),
  LastName: z.string().max(64).optional(),
  PrimarySmtpAddress: z.string().optional(),
  SIPResourceIdentifier: z.string().optional(),
  Phone: phoneNumber.optional(),
  MobilePhone: phoneNumber.optional(),
  HomePhone: phoneNumber.optional(),
  OtherTelephone: multiValued(phoneNumber).default([]),
}, ['Name', 'RecipientTypeDetails', 'ExternalEmailAddress', 'EmailAddresses']);

/** A validated directory contact. */
export type Contact = z.output<typeof contactSchema>;
