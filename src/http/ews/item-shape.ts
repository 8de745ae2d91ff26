import { childElement } from '../xml/index.js';
import type { XmlElement } from '../xml/index.js';
import { EWS_TYPES } from './ews-namespaces.js';
import { ewsChild, schemaViolation } from './ews-request-reading.js';

/** The message properties openum can return, named as their `t:` elements. */
export type MessageField =
  | 'ItemClass'
  | 'Subject'
  | 'Sensitivity'
  | 'Body'
  | 'Attachments'
  | 'DateTimeReceived'
  | 'Size'
  | 'Importance'
  | 'IsSubmitted'
  | 'IsDraft'
  | 'IsFromMe'
  | 'IsResend'
  | 'IsUnmodified'
  | 'DateTimeSent'
  | 'DateTimeCreated'
  | 'HasAttachments'
  | 'Sender'
  | 'From'
  | 'IsRead';

/** MAPI properties of a voice message (MS-OXOUM) that clients ask for as `t:ExtendedFieldURI PropertyTag`. */
export type VoiceMessageProperty = 'VoiceMessageDuration' | 'SenderTelephoneNumber' | 'VoiceMessageSenderName' | 'VoiceMessageAttachmentOrder';

/** PropertyTag → (property, PropertyType) for {@link VoiceMessageProperty}. */
export const VOICE_MESSAGE_PROPERTY_TAGS: ReadonlyMap<number, { property: VoiceMessageProperty; type: 'Integer' | 'String' }> = new Map([
  [0x6801, { property: 'VoiceMessageDuration', type: 'Integer' }],
  [0x6802, { property: 'SenderTelephoneNumber', type: 'String' }],
  [0x6803, { property: 'VoiceMessageSenderName', type: 'String' }],
  [0x6805, { property: 'VoiceMessageAttachmentOrder', type: 'String' }],
] as const);

/** What a FindItem/GetItem asked to see of each message. */
export interface ItemShape {
  fields: ReadonlySet<MessageField>;
  /** Requested voice-message MAPI properties, by tag, in request order. */
  extendedTags: readonly number[];
}

/** BaseShape values of the schema (DefaultShapeNamesType). */
type BaseShape = 'IdOnly' | 'Default' | 'AllProperties';

const SUMMARY_FIELDS: readonly MessageField[] = [
  'ItemClass', 'Subject', 'Sensitivity', 'DateTimeReceived', 'Size', 'Importance', 'IsSubmitted', 'IsDraft', 'IsFromMe',
  'IsResend', 'IsUnmodified', 'DateTimeSent', 'DateTimeCreated', 'HasAttachments', 'Sender', 'From', 'IsRead',
];

// FindItem never returns Body or Attachments (EWS computes them only per item, in GetItem); GetItem's
// Default and AllProperties both carry them, since fetching the audio starts from the attachment id.
const FIELDS_OF: Readonly<Record<'FindItem' | 'GetItem', Readonly<Record<BaseShape, readonly MessageField[]>>>> = {
  FindItem: { IdOnly: [], Default: SUMMARY_FIELDS, AllProperties: SUMMARY_FIELDS },
  GetItem: { IdOnly: [], Default: [...SUMMARY_FIELDS, 'Body', 'Attachments'], AllProperties: [...SUMMARY_FIELDS, 'Body', 'Attachments'] },
};

const FIELD_URIS: ReadonlyMap<string, MessageField> = new Map<string, MessageField>([
  ...SUMMARY_FIELDS.filter((field) => !['Sender', 'From', 'IsRead'].includes(field)).map((field): [string, MessageField] => [`item:${field}`, field]),
  ['item:Body', 'Body'],
  ['item:Attachments', 'Attachments'],
  ['message:Sender', 'Sender'],
  ['message:From', 'From'],
  ['message:IsRead', 'IsRead'],
]);

/**
 * Reads `m:ItemShape`: BaseShape, plus AdditionalProperties (FieldURI for the fields above, ExtendedFieldURI
 * PropertyTag for voice-message properties). Properties openum does not have are skipped, as EWS skips
 * properties that are not set on an item.
 */
export function parseItemShape(request: XmlElement, operation: 'FindItem' | 'GetItem'): ItemShape {
  const shape = ewsChild(request, 'ItemShape');
  if (shape === undefined) throw schemaViolation(`${operation} has no ItemShape`);
  const baseShape = childElement(shape, EWS_TYPES, 'BaseShape')?.text.trim();
  if (baseShape !== 'IdOnly' && baseShape !== 'Default' && baseShape !== 'AllProperties') {
    throw schemaViolation(`the BaseShape '${baseShape ?? ''}' is not one of IdOnly, Default, AllProperties`);
  }
  const fields = new Set<MessageField>(FIELDS_OF[operation][baseShape]);
  const extendedTags: number[] = [];
  const additional = childElement(shape, EWS_TYPES, 'AdditionalProperties');
  for (const property of additional?.children ?? []) {
    if (property.namespace !== EWS_TYPES) continue;
    if (property.localName === 'FieldURI') {
      const field = FIELD_URIS.get(property.attributes.get('FieldURI') ?? '');
      if (field !== undefined && (operation === 'GetItem' || (field !== 'Body' && field !== 'Attachments'))) fields.add(field);
    } else if (property.localName === 'ExtendedFieldURI') {
      const tag = Number(property.attributes.get('PropertyTag'));
      if (VOICE_MESSAGE_PROPERTY_TAGS.has(tag) && !extendedTags.includes(tag)) extendedTags.push(tag);
    }
  }
  return { fields, extendedTags };
}
