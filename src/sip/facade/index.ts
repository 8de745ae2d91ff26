/** The call facade: drachtio-srf-shaped calls and dialogs over the SIP.js core, in openum's own types. */
export type {
  DialogEndReason, IncomingCall, OutboundCallOptions, OutboundFailure, SipAddress, SipBody, SipDialog, SipDialogEvents, SipSource,
} from './facade-types.js';
export type { IncomingSipRequest } from './incoming-request.js';
export type { CallFacadeHandlers } from './call-facade-delegate.js';
export { parseAddress, parseAddressHeader, parseUri } from './sip-address.js';
export type { SipNameAddr } from './sip-address.js';
export {
  SipAddressParseError, SipCallError, SipCallFailedError, SipDialogStateError, SipInvalidRequestError, SipRequestFailedError,
} from './call-facade-errors.js';
export { IncomingCallState } from './incoming-call.js';
export { SipDialogState } from './sip-dialog.js';
export { sendOutboundRequest, type OutboundRequestOptions, type OutboundRequestResult } from './outbound-request.js';
export type { NextHop } from './request-target.js';
