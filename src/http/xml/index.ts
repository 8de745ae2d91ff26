export { childElement, childElements, childText } from './xml-element.js';
export type { XmlElement } from './xml-element.js';
export { parseXml, XmlParseError } from './parse-xml.js';
export type { ParseXmlOptions } from './parse-xml.js';
export { element, serializeXml, textElement, xmlSafe } from './xml-node.js';
export type { XmlNode } from './xml-node.js';
export { acceptXmlBodies, XML_BODY_LIMIT } from './xml-body.js';
