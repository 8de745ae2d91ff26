// Spec §8 step 4: the INVITE through the dial plan's outcall gateways in turn — the next one only when
// the gateway failed, never when the called party answered (busy, not found, declined …).
import type { OutboundCallOptions, SipDialog } from '../../sip/index.js';
import { SipCallFailedError, SipClosedError } from '../../sip/index.js';
import type { PlayOnPhoneCallerId } from './caller-id.js';
import { isGatewayFault } from './failure-cause.js';
import type { OutcallGateway } from './gateway-choice.js';
import { requestUriFor } from './gateway-choice.js';
import type { PhoneCall } from './phone-call.js';
import { PhoneCallState } from './phone-call-state.js';

/** Who places INVITEs (SipEndpoint satisfies it). */
export interface OutboundCaller {
  /** Resolves with the dialog on a 2xx; rejects with SipCallFailedError otherwise. */
  createCall(options: OutboundCallOptions): Promise<SipDialog>;
}

/** One call's dialing plan. */
export interface GatewayDialRequest {
  call: PhoneCall;
  gateways: readonly OutcallGateway[];
  /** The authorised dialed string. */
  dialed: string;
  callerId: PlayOnPhoneCallerId;
  /** Per gateway attempt, ms. */
  noAnswerTimeoutMs: number;
  /** Told once, when the first INVITE has been handed to the SIP layer. */
  onFirstInvite: () => void;
}

/**
 * Sends the INVITE with `offer` through each gateway until one answers 2xx (resolves with the dialog)
 * or a failure ends the call (rejects with it: the called party's answer, the last gateway's failure,
 * or the abandon signal's 487). Records 18x as Alerted and every SIP response on the call.
 */
export async function dialThroughGateways(caller: OutboundCaller, request: GatewayDialRequest, offer: string): Promise<SipDialog> {
  const { call, gateways } = request;
  let lastError: unknown = new Error('no outcall gateway');
  for (const [index, gateway] of gateways.entries()) {
    if (call.abandon.signal.aborted) break;
    let sawProvisional = false;
    const options: OutboundCallOptions = {
      requestUri: requestUriFor(request.dialed, gateway),
      via: gateway.via,
      from: request.callerId,
      sdp: offer,
      noAnswerTimeoutMs: request.noAnswerTimeoutMs,
      signal: call.abandon.signal,
      onProvisional: (code, reason) => {
        sawProvisional = true;
        call.recordResponse(code, reason);
        if (code >= 180 && code <= 189) call.transition(PhoneCallState.Alerted);
      },
    };
    if (call.state === PhoneCallState.Idle) call.transition(PhoneCallState.Connecting);
    const pending = caller.createCall(options);
    if (index === 0) request.onFirstInvite();
    try {
      return await pending;
    } catch (error) {
      lastError = error;
      if (error instanceof SipCallFailedError) call.recordResponse(error.failure.statusCode, error.failure.reasonPhrase);
      if (error instanceof SipClosedError || call.abandon.signal.aborted) throw error;
      if (error instanceof SipCallFailedError && !isGatewayFault({ ...error.failure, sawProvisional })) throw error;
      // Anything else (no listener for the gateway's transport, a URI the SIP layer refused) is this
      // gateway's problem too: the next one may use another transport.
      call.logger.info({ gateway: gateway.name, err: error }, 'outcall gateway failed; trying the next');
    }
  }
  throw lastError;
}
