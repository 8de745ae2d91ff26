import { childElement, element, parseXml, serializeXml, XmlParseError } from '../../../src/http/xml/index.js';

describe('parseXml', () => {
  it('resolves namespaces by URI whatever the prefix, with default-namespace scoping', () => {
    const root = parseXml('<a:root xmlns:a="urn:a" xmlns="urn:d"><child x="1" a:y="2"/><b:c xmlns:b="urn:a"/><plain xmlns="">t</plain></a:root>');
    expect(root).toMatchObject({ namespace: 'urn:a', localName: 'root' });
    expect(root.children.map((child) => `${child.namespace}|${child.localName}`)).toEqual(['urn:d|child', 'urn:a|c', '|plain']);
    expect(root.children[0]?.attributes.get('x')).toBe('1');
    expect(root.children[0]?.attributes.get('{urn:a}y')).toBe('2');
    expect(childElement(root, '', 'plain')?.text).toBe('t');
  });

  it('decodes entities, character references and CDATA, and keeps values as strings', () => {
    const root = parseXml('<r a="&lt;&amp;&#x41;">0012 &amp; <![CDATA[<x>]]>&#65;</r>');
    expect(root.attributes.get('a')).toBe('<&A');
    expect(root.text).toBe('0012 & <x>A');
  });

  it('applies canonicalNamespace to declared URIs', () => {
    const root = parseXml('<r xmlns="https://example/x"/>', { canonicalNamespace: (uri) => uri.replace('https:', 'http:') });
    expect(root.namespace).toBe('http://example/x');
  });

  it.each([
    ['empty', '   '],
    ['unclosed', '<a><b></a>'],
    ['two roots', '<a/><b/>'],
    ['text only', 'hello'],
    ['undeclared prefix', '<p:a/>'],
    ['undeclared attribute prefix', '<a p:x="1"/>'],
    ['a DTD', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'],
  ])('rejects %s with XmlParseError', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlParseError);
  });

  it('rejects nesting deeper than maxDepth', () => {
    const deep = `${'<a>'.repeat(10)}${'</a>'.repeat(10)}`;
    expect(() => parseXml(deep, { maxDepth: 5 })).toThrow(XmlParseError);
    expect(parseXml(deep, { maxDepth: 10 }).localName).toBe('a');
  });
});

describe('serializeXml', () => {
  it('escapes text and attributes and round-trips through parseXml', () => {
    const nasty = `<tag attr="x"> & ' " ]]> \u0007`;
    const xml = serializeXml(element('r', { v: nasty, skipped: undefined }, element('c', {}, nasty)));
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml).not.toContain('skipped');
    const root = parseXml(xml);
    expect(root.attributes.get('v')).toBe(nasty.replace('\u0007', ''));
    expect(root.children[0]?.text).toBe(nasty.replace('\u0007', ''));
  });
});

describe('parseXml under hostile shapes', () => {
  it('resolves prefixes declared on an ancestor and overridden on a child (the scope is shared until an element declares one)', async () => {
    const { parseXml } = await import('../../../src/http/xml/index.js');
    const declarations = Array.from({ length: 300 }, (_, i) => `xmlns:p${i}="urn:x:${i}"`).join(' ');
    const root = parseXml(`<root ${declarations}>${'<p5:a/>'.repeat(100)}<p5:b xmlns:p5="urn:y"><p5:c/></p5:b><p7:d/></root>`);
    expect(root.children).toHaveLength(102);
    expect(root.children[0]!.namespace).toBe('urn:x:5');
    expect(root.children[100]!.namespace).toBe('urn:y');
    expect(root.children[100]!.children[0]!.namespace).toBe('urn:y');
    expect(root.children[101]!.namespace).toBe('urn:x:7');
  });
});
