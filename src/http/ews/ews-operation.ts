import type { FastifyBaseLogger } from 'fastify';
import type { UnifiedMessagingBackend } from '../um-backend.js';
import type { XmlElement, XmlNode } from '../xml/index.js';

/** What an EWS operation handler is given besides its request element. */
export interface EwsOperationContext {
  /** The authenticated mailbox alias: every backend call is made with it and nothing else. */
  mailbox: string;
  backend: UnifiedMessagingBackend;
  log: FastifyBaseLogger;
}

/**
 * One EWS operation: reads its request element (`m:FindItem`, …) and returns its response element
 * (`m:FindItemResponse`, …). Per-item failures go inside the response; a malformed request throws
 * `EwsFaultError`.
 */
export type EwsOperation = (request: XmlElement, context: EwsOperationContext) => Promise<XmlNode>;
