import { NoCommonCodecError, SdpInvalidError } from './errors.js';
import { G711_PAYLOAD_TYPES, G711_SAMPLE_RATE, FRAME_MS, type G711CodecName } from './g711.js';
import { parseSdp, sdpToWire, type MediaDirection, type SdpFormat, type SdpMedia, type SdpSession } from './sdp-wire.js';

/** What openum states about its own end of a call's media. */
export interface LocalMediaOptions {
  /** Address written in c= (where the peer sends RTP). */
  address: string;
  /** Local RTP port (even; RTCP on port + 1). */
  port: number;
  /** Codecs openum accepts, in its preference for offers. Default PCMU, PCMA. */
  codecs?: readonly G711CodecName[];
  /** Payload type for telephone-event in our offers. Default 101. */
  telephoneEventPayloadType?: number;
  /** Directions openum wants (e.g. `sendonly` to put the peer on hold). Default sendrecv. */
  direction?: MediaDirection;
  /** o= line values; the caller bumps `sessionVersion` whenever our SDP changes (RFC 3264 §8). */
  origin: { sessionId: string; sessionVersion: number };
}

/** The outcome of offer/answer for the audio stream: what an RTP session needs. */
export interface NegotiatedMedia {
  /** Where the peer wants RTP (`0.0.0.0` for an RFC 2543 hold). */
  remoteAddress: string;
  /** The peer's RTP port. */
  remotePort: number;
  /** The peer's RTCP port. */
  remoteRtcpPort: number;
  /** The audio codec. */
  codec: G711CodecName;
  /** Payload type to send audio with (the peer's numbering). */
  payloadType: number;
  /** Payload type we receive audio with (our numbering; equal to `payloadType` when we answered). */
  receivePayloadType: number;
  /** telephone-event payload types, when both sides support it. */
  telephoneEvent?: { payloadType: number; receivePayloadType: number };
  /** Our direction, as written in our SDP. */
  direction: MediaDirection;
  /** The peer holds the call: it offered sendonly/inactive or c=0.0.0.0. */
  onHold: boolean;
  /** Whether we may send RTP (direction allows it and the peer gave an address). */
  sending: boolean;
  /** Whether we expect RTP from the peer. */
  receiving: boolean;
  /** Packet time, ms (openum sends 20 ms). */
  ptime: number;
}

/** What a re-offer changed compared with the media in use. */
export interface MediaChange {
  /** Anything below is true. */
  changed: boolean;
  /** Remote address or port moved. */
  remoteChanged: boolean;
  /** Codec or payload types changed. */
  codecChanged: boolean;
  /** Direction or hold changed. */
  directionChanged: boolean;
  /** The peer now holds the call (was not before). */
  hold: boolean;
  /** The peer took the call off hold. */
  resume: boolean;
}

const TELEPHONE_EVENT = 'telephone-event';
const DEFAULT_CODECS: readonly G711CodecName[] = ['PCMU', 'PCMA'];
const HOLD_ADDRESSES = new Set(['0.0.0.0', '::']);

/**
 * Answers an SDP offer (RFC 3264 §6): the first audio stream with a codec we support is accepted —
 * the offer's first such codec, with the offer's payload type numbers — plus telephone-event if
 * offered; every other m= line is rejected with port 0. Throws {@link NoCommonCodecError} (488).
 */
export function answerOffer(offerSdp: string, local: LocalMediaOptions): { answer: string; media: NegotiatedMedia } {
  const offer = parseSdp(offerSdp);
  const accepted = local.codecs ?? DEFAULT_CODECS;
  let chosenIndex = -1;
  let chosen: SdpFormat | undefined;
  for (const [index, media] of offer.media.entries()) {
    if (!isUsableAudio(media)) continue;
    chosen = media.formats.find((format) => codecOf(format, accepted) !== undefined);
    if (chosen) {
      chosenIndex = index;
      break;
    }
  }
  const offered = offer.media.find((media) => media.type === 'audio')?.formats ?? [];
  const offeredMedia = offer.media[chosenIndex];
  const codec = chosen && codecOf(chosen, accepted);
  if (!offeredMedia || !chosen || !codec) {
    throw new NoCommonCodecError(offered.map((format) => `${format.payloadType} ${format.encoding}/${format.clockRate}`));
  }
  const event = telephoneEventOf(offeredMedia);
  const direction = intersect(mirror(offeredMedia.direction), local.direction ?? 'sendrecv');
  const formats: SdpFormat[] = [{ payloadType: chosen.payloadType, encoding: codec, clockRate: G711_SAMPLE_RATE }];
  if (event) formats.push({ payloadType: event.payloadType, encoding: TELEPHONE_EVENT, clockRate: G711_SAMPLE_RATE, fmtp: '0-15' });

  const answer: SdpSession = {
    origin: { username: 'openum', ...local.origin, address: local.address },
    address: local.address,
    media: offer.media.map((media, index) =>
      index === chosenIndex
        ? {
            type: 'audio',
            port: local.port,
            protocol: media.protocol,
            fmt: formats.map((format) => String(format.payloadType)),
            formats,
            address: local.address,
            rtcpPort: local.port + 1,
            direction,
            ptime: FRAME_MS,
          }
        : { ...media, port: 0, formats: [], address: local.address, direction: 'inactive' },
    ),
  };
  const negotiated = negotiated_(offeredMedia, codec, chosen.payloadType, chosen.payloadType, direction);
  if (event) negotiated.telephoneEvent = { payloadType: event.payloadType, receivePayloadType: event.payloadType };
  return { answer: sdpToWire(answer), media: negotiated };
}

/** Creates an offer: one audio stream with our codecs at 20 ms and telephone-event (RFC 4733). */
export function createOffer(local: LocalMediaOptions): string {
  const codecs = local.codecs ?? DEFAULT_CODECS;
  const eventPayloadType = local.telephoneEventPayloadType ?? 101;
  const formats: SdpFormat[] = codecs.map((codec) => ({ payloadType: G711_PAYLOAD_TYPES[codec], encoding: codec, clockRate: G711_SAMPLE_RATE }));
  formats.push({ payloadType: eventPayloadType, encoding: TELEPHONE_EVENT, clockRate: G711_SAMPLE_RATE, fmtp: '0-15' });
  return sdpToWire({
    origin: { username: 'openum', ...local.origin, address: local.address },
    address: local.address,
    media: [
      {
        type: 'audio',
        port: local.port,
        protocol: 'RTP/AVP',
        fmt: formats.map((format) => String(format.payloadType)),
        formats,
        address: local.address,
        rtcpPort: local.port + 1,
        direction: local.direction ?? 'sendrecv',
        ptime: FRAME_MS,
      },
    ],
  });
}

/**
 * Reads the answer to an offer made with {@link createOffer} and the same `local` options. We send
 * with the answer's payload type numbers and receive with our offer's (RFC 3264 §6.1).
 */
export function readAnswer(answerSdp: string, local: LocalMediaOptions): NegotiatedMedia {
  const answer = parseSdp(answerSdp);
  const media = answer.media[0];
  if (!media) throw new SdpInvalidError('answer has no m= line');
  const codecs = local.codecs ?? DEFAULT_CODECS;
  const chosen = isUsableAudio(media) ? media.formats.find((format) => codecOf(format, codecs) !== undefined) : undefined;
  const codec = chosen && codecOf(chosen, codecs);
  if (!chosen || !codec) {
    throw new NoCommonCodecError(media.formats.map((format) => `${format.payloadType} ${format.encoding}/${format.clockRate}`));
  }
  const direction = intersect(mirror(media.direction), local.direction ?? 'sendrecv');
  const result = negotiated_(media, codec, chosen.payloadType, G711_PAYLOAD_TYPES[codec], direction);
  const event = telephoneEventOf(media);
  if (event) result.telephoneEvent = { payloadType: event.payloadType, receivePayloadType: local.telephoneEventPayloadType ?? 101 };
  return result;
}

/** Compares the media in use with the outcome of a re-offer, for the RTP session to apply. */
export function describeMediaChange(previous: NegotiatedMedia, next: NegotiatedMedia): MediaChange {
  const remoteChanged =
    previous.remoteAddress !== next.remoteAddress ||
    previous.remotePort !== next.remotePort ||
    previous.remoteRtcpPort !== next.remoteRtcpPort;
  const codecChanged =
    previous.codec !== next.codec ||
    previous.payloadType !== next.payloadType ||
    previous.receivePayloadType !== next.receivePayloadType ||
    previous.telephoneEvent?.payloadType !== next.telephoneEvent?.payloadType;
  const directionChanged = previous.direction !== next.direction || previous.onHold !== next.onHold || previous.sending !== next.sending;
  const hold = !previous.onHold && next.onHold;
  const resume = previous.onHold && !next.onHold;
  return { changed: remoteChanged || codecChanged || directionChanged, remoteChanged, codecChanged, directionChanged, hold, resume };
}

function negotiated_(
  remote: SdpMedia,
  codec: G711CodecName,
  payloadType: number,
  receivePayloadType: number,
  direction: MediaDirection,
): NegotiatedMedia {
  const nullAddress = HOLD_ADDRESSES.has(remote.address);
  return {
    remoteAddress: remote.address,
    remotePort: remote.port,
    remoteRtcpPort: remote.rtcpPort,
    codec,
    payloadType,
    receivePayloadType,
    direction,
    // RFC 3264 §8.4: the holder marks its stream sendonly (or inactive); RFC 2543 used c=0.0.0.0.
    onHold: remote.direction === 'sendonly' || remote.direction === 'inactive' || nullAddress,
    sending: sends(direction) && !nullAddress,
    receiving: receives(direction),
    ptime: FRAME_MS,
  };
}

function isUsableAudio(media: SdpMedia): boolean {
  return media.type === 'audio' && media.port !== 0 && media.protocol.toUpperCase() === 'RTP/AVP';
}

function codecOf(format: SdpFormat, accepted: readonly G711CodecName[]): G711CodecName | undefined {
  const name = format.encoding.toUpperCase();
  if (format.clockRate !== G711_SAMPLE_RATE || (format.channels !== undefined && format.channels !== 1)) return undefined;
  return accepted.find((codec) => codec === name);
}

function telephoneEventOf(media: SdpMedia): SdpFormat | undefined {
  return media.formats.find((format) => format.encoding.toLowerCase() === TELEPHONE_EVENT && format.clockRate === G711_SAMPLE_RATE);
}

/** The answerer's view of an offerer's direction (RFC 3264 §6.1). */
function mirror(direction: MediaDirection): MediaDirection {
  if (direction === 'sendonly') return 'recvonly';
  if (direction === 'recvonly') return 'sendonly';
  return direction;
}

function intersect(a: MediaDirection, b: MediaDirection): MediaDirection {
  return toDirection(sends(a) && sends(b), receives(a) && receives(b));
}

function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

function toDirection(send: boolean, receive: boolean): MediaDirection {
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}
