import type { EwsOperation } from './ews-operation.js';
import { disconnectPhoneCall } from './operations/disconnect-phone-call.js';
import { findItem } from './operations/find-item.js';
import { getAttachment } from './operations/get-attachment.js';
import { getItem } from './operations/get-item.js';
import { getPhoneCallInformation } from './operations/get-phone-call-information.js';
import { getServiceConfiguration } from './operations/get-service-configuration.js';
import { playOnPhone } from './operations/play-on-phone.js';

/** The EWS subset openum serves, by operation element local name (messages namespace). */
export const EWS_OPERATIONS: ReadonlyMap<string, EwsOperation> = new Map([
  ['PlayOnPhone', playOnPhone],
  ['GetPhoneCallInformation', getPhoneCallInformation],
  ['DisconnectPhoneCall', disconnectPhoneCall],
  ['GetServiceConfiguration', getServiceConfiguration],
  ['FindItem', findItem],
  ['GetItem', getItem],
  ['GetAttachment', getAttachment],
]);
