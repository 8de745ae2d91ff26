/** Builders for SIP request text used across the sip tests. */

let counter = 0;

/** A fresh RFC 3261 branch. */
export function branch(): string {
  counter++;
  return `z9hG4bK-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Options of {@link request}. */
export interface RequestOptions {
  method: string;
  uri?: string;
  transport?: string;
  via?: string;
  branch?: string;
  from?: string;
  to?: string;
  callId?: string;
  cseq?: number;
  cseqMethod?: string;
  extra?: string[];
  body?: string;
  contentType?: string;
  contact?: string | null;
}

/** Build a request; Via sent-by defaults to 127.0.0.1:5999. */
export function request(options: RequestOptions): string {
  const b = options.branch ?? branch();
  const transport = options.transport ?? 'UDP';
  const body = options.body ?? '';
  const lines = [
    `${options.method} ${options.uri ?? 'sip:openum@127.0.0.1'} SIP/2.0`,
    options.via ?? `Via: SIP/2.0/${transport} 127.0.0.1:5999;branch=${b};rport`,
    'Max-Forwards: 70',
    `From: ${options.from ?? '<sip:caller@127.0.0.1>;tag=caller-tag'}`,
    `To: ${options.to ?? '<sip:openum@127.0.0.1>'}`,
    `Call-ID: ${options.callId ?? `call-${b}`}`,
    `CSeq: ${options.cseq ?? 1} ${options.cseqMethod ?? options.method}`,
  ];
  if (options.contact !== null && (options.contact !== undefined || options.method === 'INVITE')) {
    lines.push(`Contact: ${options.contact ?? '<sip:caller@127.0.0.1:5999>'}`);
  }
  lines.push(...(options.extra ?? []));
  if (body.length > 0) lines.push(`Content-Type: ${options.contentType ?? 'application/sdp'}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A minimal SDP offer. */
export const SDP_OFFER = [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 40000 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', '',
].join('\r\n');

/** Status code of a response text, or 0. */
export function statusOf(text: string): number {
  const m = /^SIP\/2\.0 (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** First value of a header (case-insensitive, full names only), or undefined. */
export function header(text: string, name: string): string | undefined {
  const head = text.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}
