/** Options of {@link inspectRequest}. */
export interface RequestPolicyOptions {
  /** Methods openum accepts (Allow header). */
  allowedMethods: readonly string[];
  /** Option tags openum supports (Supported header; anything else in Require gets 420). */
  supportedOptionTags: readonly string[];
  /** Body types openum accepts (Accept header). */
  acceptedBodyTypes: readonly string[];
}

/** What the policy needs to know about a request. */
export interface InspectedRequest {
  /** Method, upper case. */
  method: string;
  /** Option tags listed in Require headers. */
  required: readonly string[];
  /** Whether the To header carries a tag (in-dialog). */
  inDialog: boolean;
  /** Whether the Request-URI names something openum serves (or names openum itself). */
  targetExists: boolean;
}

/** The policy's answer: let the core handle it, or reply statelessly. */
export type PolicyDecision =
  | { kind: 'pass' }
  | { kind: 'reply'; statusCode: number; reasonPhrase: string; extraHeaders: string[] };

/** Header lines that advertise our capabilities (RFC 3261 §11.2). */
export function capabilityHeaders(options: RequestPolicyOptions): string[] {
  return [
    `Allow: ${options.allowedMethods.join(', ')}`,
    `Accept: ${options.acceptedBodyTypes.join(', ')}`,
    `Supported: ${options.supportedOptionTags.join(', ')}`,
  ];
}

/**
 * The UAS checks the SIP.js core leaves out or gets wrong for a server, in RFC 3261 §8.2 order:
 * 405 + Allow for methods we do not handle (§8.2.1; the core throws on some, e.g. out-of-dialog PRACK),
 * 420 + Unsupported for unknown Require option tags (§8.2.2.3; never for ACK or CANCEL), and OPTIONS
 * outside a dialog answered 200 with Allow/Accept/Supported (§11.2), or 404 when the target is unknown.
 * Pure: no I/O.
 */
export function inspectRequest(request: InspectedRequest, options: RequestPolicyOptions): PolicyDecision {
  if (!options.allowedMethods.includes(request.method)) {
    return { kind: 'reply', statusCode: 405, reasonPhrase: 'Method Not Allowed', extraHeaders: [`Allow: ${options.allowedMethods.join(', ')}`] };
  }
  if (request.method !== 'ACK' && request.method !== 'CANCEL') {
    const supported = new Set(options.supportedOptionTags.map((t) => t.toLowerCase()));
    const unsupported = request.required.filter((tag) => !supported.has(tag.toLowerCase()));
    if (unsupported.length > 0) {
      return { kind: 'reply', statusCode: 420, reasonPhrase: 'Bad Extension', extraHeaders: [`Unsupported: ${unsupported.join(', ')}`] };
    }
  }
  if (request.method === 'OPTIONS' && !request.inDialog) {
    if (!request.targetExists) return { kind: 'reply', statusCode: 404, reasonPhrase: 'Not Found', extraHeaders: [] };
    return { kind: 'reply', statusCode: 200, reasonPhrase: 'OK', extraHeaders: capabilityHeaders(options) };
  }
  return { kind: 'pass' };
}
