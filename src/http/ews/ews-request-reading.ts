import { childElement } from '../xml/index.js';
import type { XmlElement } from '../xml/index.js';
import { EwsFaultError } from './ews-errors.js';
import { EWS_MESSAGES, EWS_TYPES } from './ews-namespaces.js';

/**
 * A child of an EWS request element. The schema puts an operation's own children in the messages
 * namespace, but hand-written clients often qualify them with `t:`; both unambiguously mean the same
 * element, so both are read (messages first).
 */
export function ewsChild(parent: XmlElement, localName: string): XmlElement | undefined {
  return childElement(parent, EWS_MESSAGES, localName) ?? childElement(parent, EWS_TYPES, localName);
}

/** Like {@link ewsChild}, but a missing element fails schema validation as it does on Exchange. */
export function requireEwsChild(parent: XmlElement, localName: string): XmlElement {
  const child = ewsChild(parent, localName);
  if (child === undefined) throw schemaViolation(`the element ${parent.localName} has no child ${localName}`);
  return child;
}

/** The `Id` attribute of a required id element (`m:ItemId`, `m:PhoneCallId`, …). */
export function requireIdAttribute(parent: XmlElement, localName: string): string {
  const id = requireEwsChild(parent, localName).attributes.get('Id');
  if (id === undefined) throw schemaViolation(`the required attribute 'Id' is missing on ${localName}`);
  return id;
}

/** The fault for a request that breaks the EWS schema. */
/**
 * The ids (or folders) of one request, refused beyond `max`: each costs a lookup and a serialised item
 * (an attachment a whole file), so an unbounded list would let one request exhaust memory.
 */
export function boundedIds<T>(ids: readonly T[], max: number, what: string): readonly T[] {
  if (ids.length === 0) throw schemaViolation(`${what} names none`);
  if (ids.length > max) throw schemaViolation(`${what} names ${ids.length}; openum answers at most ${max} in one request`);
  return ids;
}

export function schemaViolation(detail: string): EwsFaultError {
  return new EwsFaultError('ErrorSchemaValidation', `The request failed schema validation: ${detail}.`);
}
