import { element } from '../../xml/index.js';
import { EWS_TYPES } from '../ews-namespaces.js';
import { decodeEwsId } from '../ews-ids.js';
import type { EwsOperation } from '../ews-operation.js';
import { boundedIds, requireEwsChild } from '../ews-request-reading.js';
import { ewsError, respondToEach } from '../ews-response-message.js';
import { parseItemShape } from '../item-shape.js';
import { voiceMessageToWire } from '../voice-message-to-wire.js';

const MESSAGE = 'm:GetItemResponseMessage';

/**
 * `m:GetItem`: one response message per requested id, each the user's own message with its attachment
 * metadata, or `ErrorItemNotFound` (spec §8.1). The backend is asked with the authenticated mailbox, so
 * another user's id is simply not found.
 */
export const getItem: EwsOperation = async (request, context) => {
  const shape = parseItemShape(request, 'GetItem');
  const ids = requireEwsChild(request, 'ItemIds').children.filter((child) => child.namespace === EWS_TYPES);
  boundedIds(ids, 100, 'ItemIds');
  const messages = await respondToEach(
    ids,
    MESSAGE,
    context,
    async (id) => {
      // Occurrence and recurring-master ids name calendar items, which a voicemail folder never holds.
      const messageId = decodeEwsId('item', id.localName === 'ItemId' ? id.attributes.get('Id') : undefined);
      const message = await context.backend.getVoiceMessage(context.mailbox, messageId);
      if (message === undefined) throw ewsError('ErrorItemNotFound');
      return [element('m:Items', {}, voiceMessageToWire(message, shape))];
    },
    [element('m:Items')],
  );
  return element('m:GetItemResponse', {}, element('m:ResponseMessages', {}, ...messages));
};
