import { element, textElement } from '../xml/index.js';
import type { XmlNode } from '../xml/index.js';
import type { VoiceMessageSummary } from '../um-backend.js';
import { changeKeyOf, encodeEwsId } from './ews-ids.js';
import { VOICE_MESSAGE_PROPERTY_TAGS } from './item-shape.js';
import type { ItemShape, MessageField, VoiceMessageProperty } from './item-shape.js';

/** Message class of a call-answering voice message with audio, as Exchange UM stamps it. */
export const VOICE_MAIL_ITEM_CLASS = 'IPM.Note.Microsoft.Voicemail.UM.CA';

/** EWS dateTime: UTC, whole seconds, `Z` (Exchange 2010 does not send fractions). */
export function ewsDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Who the voice message is from, for `t:From`/`t:Sender`: the resolved name, else the number. */
function callerDisplay(message: VoiceMessageSummary): string {
  return message.callerName ?? message.caller ?? 'Anonymous';
}

function mailbox(message: VoiceMessageSummary): XmlNode {
  return element('t:Mailbox', {}, textElement('t:Name', callerDisplay(message)));
}

function bodyText(message: VoiceMessageSummary): string {
  const seconds = Math.round(message.durationMs / 1000);
  const caller = message.callerName !== null && message.caller !== null ? `${message.callerName} (${message.caller})` : callerDisplay(message);
  return `Voice mail from ${caller}\r\nReceived: ${ewsDateTime(message.receivedAt)}\r\nDuration: ${seconds} seconds\r\n`;
}

/** `t:FileAttachment` of a message's audio; with `content` (base64) for GetAttachment. */
export function fileAttachmentToWire(message: VoiceMessageSummary, content?: string): XmlNode {
  return element(
    't:FileAttachment',
    {},
    element('t:AttachmentId', { Id: encodeEwsId('attachment', message.id) }),
    textElement('t:Name', message.attachmentName),
    textElement('t:ContentType', message.contentType),
    textElement('t:Size', message.sizeBytes),
    textElement('t:LastModifiedTime', ewsDateTime(message.receivedAt)),
    textElement('t:IsInline', false),
    textElement('t:IsContactPhoto', false),
    content === undefined ? undefined : textElement('t:Content', content),
  );
}

function extendedValue(message: VoiceMessageSummary, property: VoiceMessageProperty): string | undefined {
  switch (property) {
    case 'VoiceMessageDuration':
      return String(Math.round(message.durationMs / 1000));
    case 'SenderTelephoneNumber':
      return message.caller ?? undefined;
    case 'VoiceMessageSenderName':
      return message.callerName ?? undefined;
    case 'VoiceMessageAttachmentOrder':
      return message.attachmentName;
  }
}

function extendedProperties(message: VoiceMessageSummary, tags: readonly number[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const tag of tags) {
    const known = VOICE_MESSAGE_PROPERTY_TAGS.get(tag);
    if (known === undefined) continue;
    const value = extendedValue(message, known.property);
    // EWS leaves out properties that are not set rather than sending them empty.
    if (value === undefined) continue;
    nodes.push(
      element(
        't:ExtendedProperty',
        {},
        element('t:ExtendedFieldURI', { PropertyTag: `0x${tag.toString(16)}`, PropertyType: known.type }),
        textElement('t:Value', value),
      ),
    );
  }
  return nodes;
}

/**
 * A voice message as `t:Message`, with the properties `shape` asks for. Elements follow the schema's
 * sequence (ItemType, then MessageType), which strict clients such as the EWS Managed API rely on.
 */
export function voiceMessageToWire(message: VoiceMessageSummary, shape: ItemShape): XmlNode {
  const want = (field: MessageField): boolean => shape.fields.has(field);
  const received = ewsDateTime(message.receivedAt);
  return element(
    't:Message',
    {},
    element('t:ItemId', { Id: encodeEwsId('item', message.id), ChangeKey: changeKeyOf(message.id, message.read) }),
    want('ItemClass') ? textElement('t:ItemClass', VOICE_MAIL_ITEM_CLASS) : undefined,
    want('Subject') ? textElement('t:Subject', message.subject) : undefined,
    want('Sensitivity') ? textElement('t:Sensitivity', 'Normal') : undefined,
    want('Body') ? element('t:Body', { BodyType: 'Text' }, bodyText(message)) : undefined,
    want('Attachments') ? element('t:Attachments', {}, fileAttachmentToWire(message)) : undefined,
    want('DateTimeReceived') ? textElement('t:DateTimeReceived', received) : undefined,
    want('Size') ? textElement('t:Size', message.sizeBytes) : undefined,
    want('Importance') ? textElement('t:Importance', 'Normal') : undefined,
    want('IsSubmitted') ? textElement('t:IsSubmitted', false) : undefined,
    want('IsDraft') ? textElement('t:IsDraft', false) : undefined,
    want('IsFromMe') ? textElement('t:IsFromMe', false) : undefined,
    want('IsResend') ? textElement('t:IsResend', false) : undefined,
    want('IsUnmodified') ? textElement('t:IsUnmodified', true) : undefined,
    want('DateTimeSent') ? textElement('t:DateTimeSent', received) : undefined,
    want('DateTimeCreated') ? textElement('t:DateTimeCreated', received) : undefined,
    want('HasAttachments') ? textElement('t:HasAttachments', true) : undefined,
    ...extendedProperties(message, shape.extendedTags),
    want('Sender') ? element('t:Sender', {}, mailbox(message)) : undefined,
    want('From') ? element('t:From', {}, mailbox(message)) : undefined,
    want('IsRead') ? textElement('t:IsRead', message.read) : undefined,
  );
}
