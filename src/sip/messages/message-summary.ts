import { firstHeaderValue, splitHeaderList, splitMessage } from './raw-message.js';
import type { RawMessage } from './raw-message.js';
import { parseVia } from './via.js';
import type { ViaHeader } from './via.js';

/** What the transport and retransmission layers need to know about a message, read from its text. */
export interface MessageSummary {
  /** Request or response. */
  kind: 'request' | 'response';
  /** Request method, or the CSeq method of a response. */
  method: string;
  /** Status code of a response; 0 for requests. */
  statusCode: number;
  /** Request-URI text of a request; '' for responses. */
  requestUri: string;
  /** Top Via, if it parses. */
  topVia: ViaHeader | undefined;
  /** Branch parameter of the top Via, or ''. */
  branch: string;
  /** The split message. */
  raw: RawMessage;
}

const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: .*)?$/;
const CSEQ = /^\d{1,10}\s+([A-Za-z0-9.!%*_+`'~-]+)$/;

/** Summarize a message from its text; `undefined` when the start line is neither a request nor a status line. */
export function summarize(text: string): MessageSummary | undefined {
  const raw = splitMessage(text);
  if (!raw) return undefined;
  const viaValue = firstHeaderValue(raw, 'via');
  const firstVia = viaValue === undefined ? undefined : splitHeaderList(viaValue)[0];
  const topVia = firstVia === undefined ? undefined : parseVia(firstVia);
  const branch = topVia?.params.get('branch') ?? '';
  const request = REQUEST_LINE.exec(raw.startLine);
  if (request) {
    return { kind: 'request', method: (request[1] ?? '').toUpperCase(), statusCode: 0, requestUri: request[2] ?? '', topVia, branch, raw };
  }
  const status = STATUS_LINE.exec(raw.startLine);
  if (status) {
    const cseq = CSEQ.exec(firstHeaderValue(raw, 'cseq') ?? '');
    return { kind: 'response', method: (cseq?.[1] ?? '').toUpperCase(), statusCode: Number(status[1]), requestUri: '', topVia, branch, raw };
  }
  return undefined;
}
