import { XMLBuilder } from 'fast-xml-parser';

/** An element to serialize: a qualified name as written (`m:ResponseCode`), attributes and content. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly children: ReadonlyArray<XmlNode | string>;
}

/** Builds an element; attributes whose value is undefined are left out, as are undefined children. */
export function element(
  name: string,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ...children: ReadonlyArray<XmlNode | string | undefined>
): XmlNode {
  return { name, attributes, children: children.filter((child): child is XmlNode | string => child !== undefined) };
}

/** An element holding only text (`<t:Subject>…</t:Subject>`). */
export function textElement(name: string, value: string | number | boolean): XmlNode {
  return element(name, {}, String(value));
}

// Characters XML 1.0 cannot carry at all, even escaped (§2.2). A caller name from a SIP display-name
// may contain them; they are dropped rather than producing a document no client can parse.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters that XML 1.0 forbids; escaping of `<&>"'` is left to the builder. */
export function xmlSafe(value: string): string {
  return value.replace(NOT_XML_CHAR, '');
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
});

type OrderedEntry = Record<string, unknown>;

function toOrdered(node: XmlNode): OrderedEntry {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.attributes)) {
    if (value !== undefined) attributes[`@_${key}`] = xmlSafe(String(value));
  }
  const children = node.children.map((child) => (typeof child === 'string' ? { '#text': xmlSafe(child) } : toOrdered(child)));
  const entry: OrderedEntry = { [node.name]: children };
  if (Object.keys(attributes).length > 0) entry[':@'] = attributes;
  return entry;
}

/** Serializes a document with an XML declaration; every text and attribute value is escaped. */
export function serializeXml(root: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build([toOrdered(root)]) as string}`;
}
