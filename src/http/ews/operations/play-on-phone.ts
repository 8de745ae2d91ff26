import { element } from '../../xml/index.js';
import { decodeEwsId } from '../ews-ids.js';
import type { EwsOperation } from '../ews-operation.js';
import { requireEwsChild, requireIdAttribute } from '../ews-request-reading.js';
import { respond } from '../ews-response-message.js';

/**
 * `m:PlayOnPhone{ItemId, DialString}` → `m:PlayOnPhoneResponse` with `m:PhoneCallId` (spec §8.1). The
 * backend classifies and authorises the dial string and refuses with the reason EWS reports.
 */
export const playOnPhone: EwsOperation = async (request, context) => {
  const itemId = requireIdAttribute(request, 'ItemId');
  const dialString = requireEwsChild(request, 'DialString').text.trim();
  return respond('m:PlayOnPhoneResponse', context, async () => {
    const messageId = decodeEwsId('item', itemId);
    const { phoneCallId } = await context.backend.playOnPhone(context.mailbox, messageId, dialString);
    return [element('m:PhoneCallId', { Id: phoneCallId })];
  });
};
