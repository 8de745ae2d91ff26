import type { EventEmitter } from 'node:events';
import type { TransportProtocol } from '../transport/transport-types.js';

/** A SIP address as call routing needs it (parsed from a name-addr or URI; `tel:` already rewritten). */
export interface SipAddress {
  /** Scheme of the original URI: `sip`, `sips` or `tel`. */
  scheme: string;
  /** User part (may be empty). */
  user: string;
  /** Host part (empty for tel:). */
  host: string;
  /** URI parameters, lower-case names (e.g. `user`, `phone-context`). */
  params: Readonly<Record<string, string>>;
  /** Display name, when the header had one. */
  displayName?: string;
  /** The URI as text, e.g. `sip:kim@contoso.com`. */
  uri: string;
}

/** Where a request came from. */
export interface SipSource {
  address: string;
  port: number;
  protocol: TransportProtocol;
}

/** A SIP body with its type. */
export interface SipBody {
  contentType: string;
  content: string;
}

/** Why a dialog ended. */
export type DialogEndReason =
  | 'remote-bye' // the peer sent BYE
  | 'local' // destroy() was called
  | 'cancelled' // the caller sent CANCEL before we answered
  | 'ack-timeout' // our 200 OK was never ACKed (Timer H / 64·T1)
  | 'transport-error'
  | 'closed'; // the endpoint was closed

/** Events of a {@link SipDialog}. */
export interface SipDialogEvents {
  /** The dialog ended (once). */
  destroy: [reason: DialogEndReason];
  /** An in-dialog INFO (e.g. application/dtmf-relay); it has already been answered 200. */
  info: [body: SipBody | undefined];
  /** A re-INVITE with a new offer; the listener must call `answer(sdp)` or `reject(status)` synchronously or later. */
  modify: [offer: string, reply: { answer(sdp: string): void; reject(status: number): void }];
}

/** An established call leg (either direction), shaped like drachtio-srf's Dialog. */
export interface SipDialog extends EventEmitter<SipDialogEvents> {
  readonly callId: string;
  /** The SDP we sent last (offer or answer). */
  readonly localSdp: string;
  /** The SDP the peer sent last. */
  readonly remoteSdp: string;
  /** Whether the dialog has ended. */
  readonly destroyed: boolean;
  /** Ends the call (BYE); idempotent; resolves when the BYE transaction completes or at once if already gone. */
  destroy(): Promise<void>;
  /** Sends a re-INVITE with a new offer; resolves with the peer's answer SDP. */
  modify(sdp: string): Promise<string>;
  /** Sends an in-dialog request (INFO, NOTIFY, …); resolves with the final status code. */
  request(method: string, options?: { headers?: Record<string, string>; body?: SipBody }): Promise<number>;
}

/** A new incoming INVITE, before the application has answered it. */
export interface IncomingCall {
  readonly callId: string;
  readonly requestUri: SipAddress;
  readonly from: SipAddress;
  readonly to: SipAddress;
  readonly source: SipSource;
  /** The INVITE's SDP offer; undefined for an offer-less INVITE (we offer in the 200, answer comes in the ACK). */
  readonly sdpOffer: string | undefined;
  /** All values of a header (case-insensitive name), in order; comma-separated values are NOT split. */
  header(name: string): string[];
  /** Whether the caller cancelled (CANCEL received) before a final response. */
  readonly cancelled: boolean;
  /** Sends a provisional response (180 or 183). */
  progress(statusCode: 180 | 183, options?: { sdp?: string }): void;
  /**
   * Answers 200 OK with our SDP (an answer to the offer, or our offer when the INVITE had none) and
   * resolves with the dialog once the ACK arrives; rejects with SipCallError if the caller cancelled or
   * never ACKed. For an offer-less INVITE, the dialog's remoteSdp is the ACK's answer.
   */
  accept(options: { sdp: string; headers?: Record<string, string> }): Promise<SipDialog>;
  /** Sends a final non-2xx response; ignored if a final response was already sent. */
  reject(statusCode: number, options?: { reasonPhrase?: string; headers?: Record<string, string> }): void;
  /** Fires once if the caller sends CANCEL before we answered (487 has already been sent). */
  onCancel(listener: () => void): void;
}

/** Where and how to place an outbound call (Play on Phone, transfers). */
export interface OutboundCallOptions {
  /** Request-URI, e.g. `sip:+14255551234@gw.contoso.com;user=phone`. */
  requestUri: string;
  /** The next hop (the UM IP gateway): address, port and transport. */
  via: { address: string; port: number; protocol: TransportProtocol };
  /** From URI and display name (caller ID). */
  from: { uri: string; displayName?: string };
  /** Our SDP offer. */
  sdp: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Give up (CANCEL) when no final answer arrives within this many ms. */
  noAnswerTimeoutMs: number;
  /** Each provisional response (e.g. 180 → Alerted). */
  onProvisional?: (statusCode: number, reasonPhrase: string) => void;
  /** Abandons the call before it is answered (CANCEL, as for the no-answer timeout); rejects with 487. No effect once settled. */
  signal?: AbortSignal;
}

/** The facade's reason for an outbound call that was not answered. */
export interface OutboundFailure {
  /** Final status code (408 for Timer B / no-answer timeout, 487 after our CANCEL). */
  statusCode: number;
  reasonPhrase: string;
  /** True when our no-answer timeout fired (and we sent CANCEL). */
  noAnswer: boolean;
}
