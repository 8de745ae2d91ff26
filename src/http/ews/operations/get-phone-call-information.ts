import { element, textElement } from '../../xml/index.js';
import type { EwsOperation } from '../ews-operation.js';
import { requireIdAttribute } from '../ews-request-reading.js';
import { ewsError, respond } from '../ews-response-message.js';

/**
 * `m:GetPhoneCallInformation{PhoneCallId}` → `m:PhoneCallInformation` (spec §8.1). Children follow
 * PhoneCallInformationType's order: state, failure cause, then the optional SIP response text and code.
 */
export const getPhoneCallInformation: EwsOperation = async (request, context) => {
  const phoneCallId = requireIdAttribute(request, 'PhoneCallId');
  return respond('m:GetPhoneCallInformationResponse', context, async () => {
    const call = context.backend.getPhoneCall(context.mailbox, phoneCallId);
    if (call === undefined) throw ewsError('ErrorInvalidPhoneCallId');
    return [
      element(
        'm:PhoneCallInformation',
        {},
        textElement('t:PhoneCallState', call.state),
        textElement('t:ConnectionFailureCause', call.failureCause),
        call.sipResponseText === undefined ? undefined : textElement('t:SIPResponseText', call.sipResponseText),
        call.sipResponseCode === undefined ? undefined : textElement('t:SIPResponseCode', call.sipResponseCode),
      ),
    ];
  });
};
