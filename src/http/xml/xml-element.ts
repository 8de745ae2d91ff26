/**
 * A parsed XML element with its namespace resolved. Protocol code matches on (namespace, localName) and
 * never on prefixes: clients spell the same EWS request with `m:`, `mes:`, a default xmlns or none.
 */
export interface XmlElement {
  /** The namespace URI ('' when the element is in no namespace). */
  readonly namespace: string;
  readonly localName: string;
  /**
   * Attributes by local name. Unprefixed attributes are in no namespace (XML Namespaces §6.2), which is
   * where every EWS and Autodiscover attribute lives; prefixed ones are keyed `{uri}local`.
   */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, entities decoded), not its descendants'. */
  readonly text: string;
}

/** The first child element with this namespace and local name. */
export function childElement(parent: XmlElement, namespace: string, localName: string): XmlElement | undefined {
  return parent.children.find((child) => child.namespace === namespace && child.localName === localName);
}

/** Every child element with this namespace and local name, in document order. */
export function childElements(parent: XmlElement, namespace: string, localName: string): XmlElement[] {
  return parent.children.filter((child) => child.namespace === namespace && child.localName === localName);
}

/** The trimmed text of the first matching child, or undefined when there is no such child. */
export function childText(parent: XmlElement, namespace: string, localName: string): string | undefined {
  const child = childElement(parent, namespace, localName);
  return child === undefined ? undefined : child.text.trim();
}
