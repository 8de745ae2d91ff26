import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OpenumError } from '../../errors.js';
import type { XmlElement } from './xml-element.js';

/** A request body that is not well-formed, namespace-valid XML within openum's limits. */
export class XmlParseError extends OpenumError {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super('OPENUM_HTTP_XML_MALFORMED', message, { httpStatus: 400 });
  }
}

/** Options of {@link parseXml}. */
export interface ParseXmlOptions {
  /** Maps a declared namespace URI to the one protocol code compares against (e.g. to forgive a known misprint). */
  canonicalNamespace?: (uri: string) => string;
  /** Deepest element nesting accepted; SOAP requests are shallow, so a deep document is an attack or a mistake. */
  maxDepth?: number;
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const DEFAULT_MAX_DEPTH = 64;

// preserveOrder keeps repeated and interleaved children in document order; values stay strings because
// ids, dial strings and numbers with leading zeros must reach the protocol code exactly as sent.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  processEntities: true,
});

type OrderedEntry = Record<string, unknown>;

/** Parses a document and resolves every element's namespace; throws {@link XmlParseError}. */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  if (text.trim() === '') throw new XmlParseError('the request body is empty');
  // A DTD can declare entities that expand without bound (billion laughs) or reach outside; neither
  // EWS nor Autodiscover uses one, and Exchange refuses them too.
  if (/<!DOCTYPE/i.test(text)) throw new XmlParseError('DTDs are not allowed');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new XmlParseError(`malformed XML: ${validation.err.msg}`, validation.err.line, validation.err.col);
  }
  const entries = parser.parse(text) as unknown;
  const roots = elementEntries(entries);
  if (roots.length !== 1 || roots[0] === undefined) throw new XmlParseError(`expected one root element, got ${roots.length}`);
  const canonical = options.canonicalNamespace ?? ((uri: string) => uri);
  return toElement(roots[0], new Map([['xml', XML_NAMESPACE], ['', '']]), canonical, 1, options.maxDepth ?? DEFAULT_MAX_DEPTH);
}

function elementEntries(value: unknown): Array<{ name: string; entry: OrderedEntry }> {
  if (!Array.isArray(value)) return [];
  const result: Array<{ name: string; entry: OrderedEntry }> = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const name = Object.keys(entry).find((key) => key !== ':@' && key !== '#text' && !key.startsWith('?') && !key.startsWith('!'));
    if (name !== undefined) result.push({ name, entry: entry as OrderedEntry });
  }
  return result;
}

function toElement(
  node: { name: string; entry: OrderedEntry },
  inScope: ReadonlyMap<string, string>,
  canonical: (uri: string) => string,
  depth: number,
  maxDepth: number,
): XmlElement {
  if (depth > maxDepth) throw new XmlParseError(`elements nested deeper than ${maxDepth}`);
  const rawAttributes = readAttributes(node.entry[':@']);
  // Copy the scope only where an element declares namespaces: copying it at every element is
  // quadratic in (elements × declarations), which a hostile body can make take seconds.
  let scope: Map<string, string> | ReadonlyMap<string, string> = inScope;
  for (const [name, value] of rawAttributes) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    if (scope === inScope) scope = new Map(inScope);
    (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice('xmlns:'.length), value);
  }
  const { prefix, local } = splitQName(node.name);
  const namespaceUri = scope.get(prefix);
  if (namespaceUri === undefined) throw new XmlParseError(`undeclared namespace prefix '${prefix}' on <${node.name}>`);

  const attributes = new Map<string, string>();
  for (const [name, value] of rawAttributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const attribute = splitQName(name);
    if (attribute.prefix === '') {
      attributes.set(attribute.local, value);
      continue;
    }
    const attributeNamespace = scope.get(attribute.prefix);
    if (attributeNamespace === undefined) throw new XmlParseError(`undeclared namespace prefix '${attribute.prefix}' on attribute ${name}`);
    attributes.set(`{${canonical(attributeNamespace)}}${attribute.local}`, value);
  }

  const content = node.entry[node.name];
  let text = '';
  const children: XmlElement[] = [];
  if (Array.isArray(content)) {
    for (const item of content as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const textValue = (item as OrderedEntry)['#text'];
      if (textValue !== undefined) text += String(textValue);
    }
    for (const child of elementEntries(content)) children.push(toElement(child, scope, canonical, depth + 1, maxDepth));
  }
  return { namespace: namespaceUri === '' ? '' : canonical(namespaceUri), localName: local, attributes, children, text };
}

function readAttributes(value: unknown): Array<[string, string]> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).map(([name, attributeValue]) => [name, String(attributeValue)]);
}

function splitQName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}
