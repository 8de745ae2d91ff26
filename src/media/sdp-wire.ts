import { isIPv6 } from 'node:net';
import * as sdpTransform from 'sdp-transform';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { SdpInvalidError } from './errors.js';

/** RFC 3264 §5.1 stream direction. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One payload format of an m= line (`a=rtpmap`, or a static RFC 3551 type). */
export interface SdpFormat {
  /** Payload type number. */
  payloadType: number;
  /** Encoding name as written (e.g. `PCMU`, `telephone-event`). */
  encoding: string;
  /** Clock rate, Hz. */
  clockRate: number;
  /** Channels, when given. */
  channels?: number;
  /** `a=fmtp` parameters, when given. */
  fmtp?: string;
}

/** One m= section with session-level defaults (c=, direction) already applied. */
export interface SdpMedia {
  /** `audio`, `video`, `image`, ... */
  type: string;
  /** RTP port; 0 means the stream is rejected or disabled. */
  port: number;
  /** Transport protocol, e.g. `RTP/AVP`. */
  protocol: string;
  /** The m= line's format tokens as written (payload type numbers for RTP). */
  fmt: string[];
  /** Formats resolved from `a=rtpmap` or the static table. */
  formats: SdpFormat[];
  /** Connection address (media c= over session c=). */
  address: string;
  /** RTCP port: `a=rtcp` or port + 1 (RFC 3605). */
  rtcpPort: number;
  /** Direction (media attribute over session attribute, default sendrecv). */
  direction: MediaDirection;
  /** `a=ptime`, when given. */
  ptime?: number;
}

/** A session description in openum's terms, both as parsed and as written. */
export interface SdpSession {
  /** o= line. */
  origin: { username: string; sessionId: string; sessionVersion: number; address: string };
  /** Session-level c= address. */
  address: string;
  /** m= sections in order. */
  media: SdpMedia[];
}

/** Static payload types of RFC 3551 Table 4 that matter for audio calls. */
const STATIC_AUDIO_FORMATS: ReadonlyMap<number, { encoding: string; clockRate: number }> = new Map([
  [0, { encoding: 'PCMU', clockRate: 8000 }],
  [3, { encoding: 'GSM', clockRate: 8000 }],
  [4, { encoding: 'G723', clockRate: 8000 }],
  [8, { encoding: 'PCMA', clockRate: 8000 }],
  [9, { encoding: 'G722', clockRate: 8000 }],
  [13, { encoding: 'CN', clockRate: 8000 }],
  [18, { encoding: 'G729', clockRate: 8000 }],
]);

/** Parses SDP text; throws {@link SdpInvalidError} (400) when it lacks what RFC 4566 requires of us. */
export function parseSdp(text: string): SdpSession {
  let raw: SessionDescription;
  try {
    raw = sdpTransform.parse(text);
  } catch (error) {
    throw new SdpInvalidError('SDP does not parse', { cause: error });
  }
  if (raw.version !== 0 || raw.origin === undefined) throw new SdpInvalidError('SDP lacks v=0 or o=');
  if (!Array.isArray(raw.media) || raw.media.length === 0) throw new SdpInvalidError('SDP has no m= line');
  const sessionAddress = raw.connection?.ip ?? '';
  const sessionDirection = raw.direction ?? 'sendrecv';
  return {
    origin: {
      username: raw.origin.username,
      sessionId: String(raw.origin.sessionId),
      sessionVersion: Number(raw.origin.sessionVersion),
      address: raw.origin.address,
    },
    address: sessionAddress,
    media: raw.media.map((media, index) => parseMedia(media, sessionAddress, sessionDirection, index)),
  };
}

function parseMedia(media: MediaDescription, sessionAddress: string, sessionDirection: MediaDirection, index: number): SdpMedia {
  const port = Number(media.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SdpInvalidError(`m= line ${index} has port ${media.port}`);
  const address = media.connection?.ip ?? sessionAddress;
  if (port !== 0 && address === '') throw new SdpInvalidError(`m= line ${index} has no c= address`);
  const fmt = String(media.payloads ?? '').split(/\s+/).filter((token) => token !== '');
  const isRtp = /^RTP\//i.test(media.protocol);
  const formats: SdpFormat[] = [];
  if (isRtp) {
    for (const token of fmt) {
      const payloadType = Number(token);
      if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) continue;
      const rtpmap = media.rtp.find((entry) => entry.payload === payloadType);
      const fmtp = media.fmtp.find((entry) => entry.payload === payloadType)?.config;
      const known = STATIC_AUDIO_FORMATS.get(payloadType);
      const format: SdpFormat | undefined = rtpmap
        ? { payloadType, encoding: rtpmap.codec, clockRate: rtpmap.rate ?? 8000 }
        : known && { payloadType, ...known };
      if (!format) continue;
      if (rtpmap?.encoding !== undefined) format.channels = rtpmap.encoding;
      if (fmtp !== undefined) format.fmtp = fmtp;
      formats.push(format);
    }
  }
  const parsed: SdpMedia = {
    type: media.type,
    port,
    protocol: media.protocol,
    fmt,
    formats,
    address,
    rtcpPort: media.rtcp?.port ?? port + 1,
    direction: media.direction ?? sessionDirection,
  };
  if (media.ptime !== undefined) parsed.ptime = Number(media.ptime);
  return parsed;
}

/** Writes an {@link SdpSession} as SDP text (CRLF line ends). */
export function sdpToWire(session: SdpSession): string {
  const raw: SessionDescription = {
    version: 0,
    origin: {
      username: session.origin.username,
      sessionId: session.origin.sessionId,
      sessionVersion: session.origin.sessionVersion,
      netType: 'IN',
      ipVer: ipVersion(session.origin.address),
      address: session.origin.address,
    },
    name: '-',
    connection: { version: ipVersion(session.address), ip: session.address },
    timing: { start: 0, stop: 0 },
    media: session.media.map((media) => mediaToWire(media, session.address)),
  };
  return sdpTransform.write(raw);
}

function mediaToWire(media: SdpMedia, sessionAddress: string): MediaDescription {
  const raw: MediaDescription = {
    type: media.type,
    port: media.port,
    protocol: media.protocol,
    payloads: media.fmt.join(' '),
    rtp: media.formats.map((format) => {
      const entry: MediaDescription['rtp'][number] = { payload: format.payloadType, codec: format.encoding, rate: format.clockRate };
      if (format.channels !== undefined) entry.encoding = format.channels;
      return entry;
    }),
    fmtp: media.formats.flatMap((format) => (format.fmtp === undefined ? [] : [{ payload: format.payloadType, config: format.fmtp }])),
  };
  if (media.address !== sessionAddress && media.address !== '') {
    raw.connection = { version: ipVersion(media.address), ip: media.address };
  }
  // A rejected stream carries no attributes worth stating (RFC 3264 §6).
  if (media.port !== 0) {
    if (media.ptime !== undefined) raw.ptime = media.ptime;
    raw.direction = media.direction;
  }
  return raw;
}

function ipVersion(address: string): number {
  return isIPv6(address) ? 6 : 4;
}
