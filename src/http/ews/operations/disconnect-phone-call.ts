import type { EwsOperation } from '../ews-operation.js';
import { requireIdAttribute } from '../ews-request-reading.js';
import { ewsError, respond } from '../ews-response-message.js';

/** `m:DisconnectPhoneCall{PhoneCallId}` → `NoError`, or `ErrorInvalidPhoneCallId` for a call not the user's (spec §8.1). */
export const disconnectPhoneCall: EwsOperation = async (request, context) => {
  const phoneCallId = requireIdAttribute(request, 'PhoneCallId');
  return respond('m:DisconnectPhoneCallResponse', context, async () => {
    if (!(await context.backend.disconnectPhoneCall(context.mailbox, phoneCallId))) throw ewsError('ErrorInvalidPhoneCallId');
    return [];
  });
};
