import { childElement, childText, element } from '../../xml/index.js';
import type { XmlElement, XmlNode } from '../../xml/index.js';
import type { VoiceMessageSummary } from '../../um-backend.js';
import { EwsResponseError } from '../ews-errors.js';
import { EWS_TYPES } from '../ews-namespaces.js';
import type { EwsOperation, EwsOperationContext } from '../ews-operation.js';
import { boundedIds, ewsChild, requireEwsChild, schemaViolation } from '../ews-request-reading.js';
import { ewsError, respond } from '../ews-response-message.js';
import { parseItemShape } from '../item-shape.js';
import type { ItemShape } from '../item-shape.js';
import { voiceMessageToWire } from '../voice-message-to-wire.js';

const MESSAGE = 'm:FindItemResponseMessage';
const DATE_FIELDS = new Set(['item:DateTimeReceived', 'item:DateTimeSent', 'item:DateTimeCreated']);

/** IndexedPageItemView, read once per request. */
interface PageView {
  offset: number;
  maxEntries: number | undefined;
  fromEnd: boolean;
}

/**
 * `m:FindItem` on `t:DistinguishedFolderId Id="voicemail"` (spec §8.1): the user's voice messages, newest
 * first, shaped by ItemShape and paged by IndexedPageItemView. openum has no other folders.
 */
export const findItem: EwsOperation = async (request, context) => {
  const shape = parseItemShape(request, 'FindItem');
  const view = parsePageView(request);
  const ascending = parseAscending(request);
  const folders = requireEwsChild(request, 'ParentFolderIds').children.filter((child) => child.namespace === EWS_TYPES);
  boundedIds(folders, 10, 'ParentFolderIds');
  const restricted = ewsChild(request, 'Restriction') !== undefined || ewsChild(request, 'QueryString') !== undefined;

  const messages: XmlNode[] = [];
  for (const folder of folders) {
    messages.push(
      await respond(MESSAGE, context, async () => {
        checkVoiceMailFolder(folder, context);
        // Returning every message would be wrong for a filtered query, so the filter is refused instead.
        if (restricted) throw new EwsResponseError('ErrorUnsupportedQueryFilter', 'openum does not support restrictions on the voicemail folder.');
        return [await rootFolder(context, shape, view, ascending)];
      }),
    );
  }
  return element('m:FindItemResponse', {}, element('m:ResponseMessages', {}, ...messages));
};

function checkVoiceMailFolder(folder: XmlElement, context: EwsOperationContext): void {
  if (folder.localName === 'FolderId') throw ewsError('ErrorInvalidIdMalformed');
  if (folder.localName !== 'DistinguishedFolderId') throw schemaViolation(`unexpected folder element ${folder.localName}`);
  if (folder.attributes.get('Id') !== 'voicemail') throw ewsError('ErrorFolderNotFound');
  // A DistinguishedFolderId may name another mailbox; only the authenticated user's own is served, and
  // another one is reported as not found so that the answer does not reveal whether it exists.
  const mailbox = childElement(folder, EWS_TYPES, 'Mailbox');
  if (mailbox === undefined) return;
  const address = childText(mailbox, EWS_TYPES, 'EmailAddress') ?? '';
  if (context.backend.findUserByEmail(address)?.alias.toLowerCase() !== context.mailbox.toLowerCase()) throw ewsError('ErrorFolderNotFound');
}

async function rootFolder(context: EwsOperationContext, shape: ItemShape, view: PageView, ascending: boolean): Promise<XmlNode> {
  // The whole list is fetched because RootFolder must report TotalItemsInView; a voicemail folder holds
  // tens to hundreds of messages, not enough to make a separate count worthwhile.
  const all: VoiceMessageSummary[] = await context.backend.listVoiceMessages(context.mailbox);
  const ordered = ascending ? [...all].reverse() : all;
  const total = ordered.length;
  let start: number;
  let end: number;
  if (view.fromEnd) {
    end = Math.max(0, total - view.offset);
    start = view.maxEntries === undefined ? 0 : Math.max(0, end - view.maxEntries);
  } else {
    start = Math.min(view.offset, total);
    end = view.maxEntries === undefined ? total : Math.min(total, start + view.maxEntries);
  }
  const page = ordered.slice(start, end);
  const includesLast = view.fromEnd ? start === 0 : end === total;
  return element(
    'm:RootFolder',
    { IndexedPagingOffset: view.offset + page.length, TotalItemsInView: total, IncludesLastItemInRange: includesLast },
    element('t:Items', {}, ...page.map((message) => voiceMessageToWire(message, shape))),
  );
}

function parsePageView(request: XmlElement): PageView {
  const view = ewsChild(request, 'IndexedPageItemView');
  if (view === undefined) return { offset: 0, maxEntries: undefined, fromEnd: false };
  const offset = parseCount(view.attributes.get('Offset') ?? '0', 'Offset', 0);
  const max = view.attributes.get('MaxEntriesReturned');
  const basePoint = view.attributes.get('BasePoint') ?? 'Beginning';
  if (basePoint !== 'Beginning' && basePoint !== 'End') throw schemaViolation(`BasePoint '${basePoint}' is not Beginning or End`);
  return { offset, maxEntries: max === undefined ? undefined : parseCount(max, 'MaxEntriesReturned', 1), fromEnd: basePoint === 'End' };
}

function parseCount(value: string, name: string, minimum: number): number {
  const parsed = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(parsed) || parsed < minimum) throw schemaViolation(`${name} '${value}' is not an integer of at least ${minimum}`);
  return parsed;
}

/** True when SortOrder asks for oldest first by a date; openum's natural order is newest first. */
function parseAscending(request: XmlElement): boolean {
  const first = ewsChild(request, 'SortOrder')?.children.find((child) => child.localName === 'FieldOrder');
  if (first === undefined) return false;
  const field = childElement(first, EWS_TYPES, 'FieldURI')?.attributes.get('FieldURI') ?? '';
  return DATE_FIELDS.has(field) && first.attributes.get('Order') === 'Ascending';
}
