import jsyaml from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { Finding, PathSegment } from './diagnostic.js';

/**
 * Keys whose values are digit strings to Exchange. YAML reads `InternationalAccessCode: 011` as the
 * number 11; for these keys the loader takes the scalar's source text instead, so leading zeros and
 * long numbers survive whether or not the author quoted them.
 */
const DIGIT_STRING_KEYS = new Set([
  'CountryOrRegionCode', 'OutsideLineAccessCode', 'InternationalAccessCode', 'NationalNumberPrefix',
  'Extensions', 'AccessTelephoneNumbers', 'PilotIdentifierList', 'PilotIdentifiers', 'UMCallingLineIds',
  'Phone', 'MobilePhone', 'HomePhone', 'OtherTelephone', 'BusinessPhone', 'OperatorExtension',
  'DefaultOutboundCallingLineId', 'PIN', 'PlayOnPhoneDialString', 'NumberingPlanFormats',
  'InCountryOrRegionNumberFormat', 'InternationalNumberFormat', 'ExchangeVersion',
  'ConfiguredInCountryOrRegionGroups', 'ConfiguredInternationalGroups', 'NumberMask', 'DialedNumber', 'TestExtension',
]);

/** More nodes than any real configuration has; past it the document is an alias bomb or junk. */
const MAX_NODES = 5_000_000;

/** A line and column, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A parsed configuration document that can say where any property path is in the file. */
export interface SourceDocument {
  /** The document as plain data (what the schema validates). */
  value: unknown;
  /** Syntax problems; when any is present `value` must not be trusted. */
  syntaxErrors: Finding[];
  /** Position of the node at `path`, or of its nearest existing parent. `key` asks for the key itself. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition | undefined;
}

/** A YAML number as written: the loader decides per key whether it is a number or a digit string. */
class SourceNumber {
  constructor(readonly source: string, readonly value: number) {}
}

/** js-yaml's built-in types; present at run time, missing from its type declarations. */
const builtin = (jsyaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float' | 'str' | 'seq' | 'map', jsyaml.Type> }).types;

function sourceNumberType(base: jsyaml.Type, tag: string): jsyaml.Type {
  return new jsyaml.Type(tag, {
    kind: 'scalar',
    resolve: (data: string) => base.resolve(data),
    construct: (data: string) => new SourceNumber(data, base.construct(data) as number),
  });
}

/** YAML 1.2 core schema, except that numbers keep their source text. */
const SCHEMA = new jsyaml.Schema({
  implicit: [builtin.null, builtin.bool, sourceNumberType(builtin.int, 'tag:yaml.org,2002:int'), sourceNumberType(builtin.float, 'tag:yaml.org,2002:float')],
  explicit: [builtin.str, builtin.seq, builtin.map],
});

class TooManyNodesError extends Error {}

/** Replaces SourceNumbers by numbers, or by their text under digit-string keys; counts nodes. */
function settleNumbers(root: unknown): unknown {
  let nodes = 0;
  const walk = (value: unknown, digits: boolean): unknown => {
    if (++nodes > MAX_NODES) throw new TooManyNodesError();
    if (value instanceof SourceNumber) return digits ? value.source : value.value;
    if (Array.isArray(value)) return value.map((v) => walk(v, digits));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, DIGIT_STRING_KEYS.has(k));
      return out;
    }
    return value;
  };
  return walk(root, false);
}

/**
 * Parses YAML (JSON is accepted as the YAML subset it is). The fast js-yaml parse gives the data;
 * positions for diagnostics come from a second, slower parse with `yaml` done only when asked.
 */
export function parseSourceDocument(text: string): SourceDocument {
  const syntaxErrors: Finding[] = [];
  let value: unknown;
  try {
    value = settleNumbers(jsyaml.load(text, { schema: SCHEMA }));
  } catch (error) {
    if (error instanceof jsyaml.YAMLException) {
      syntaxErrors.push({ code: 'E_YAML_SYNTAX', message: error.reason || 'malformed YAML', path: [], at: { line: error.mark.line + 1, column: error.mark.column + 1 } });
    } else if (error instanceof TooManyNodesError) {
      syntaxErrors.push({ code: 'E_YAML_SYNTAX', message: `more than ${MAX_NODES} values (an alias bomb?)`, path: [] });
    } else {
      throw error;
    }
  }

  let positions: ((path: readonly PathSegment[], options: { key?: boolean }) => SourcePosition | undefined) | undefined;
  const locate = (path: readonly PathSegment[], options: { key?: boolean } = {}): SourcePosition | undefined => {
    positions ??= positionIndex(text);
    return positions(path, options);
  };
  return { value, syntaxErrors, locate };
}

/** Builds a full YAML document with source ranges and answers position questions from it. */
function positionIndex(text: string): (path: readonly PathSegment[], options: { key?: boolean }) => SourcePosition | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  return (path, options) => {
    let node: Node | null | undefined = doc.contents as Node | null;
    let keyNode: Node | undefined;
    let found: Node | undefined = node ?? undefined;
    for (const segment of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment] as Node | undefined;
        if (!node) break;
      } else {
        break;
      }
      found = (node ?? keyNode) as Node | undefined;
    }
    const target = options.key && keyNode ? keyNode : found;
    if (!target?.range) return undefined;
    const p = lineCounter.linePos(target.range[0]);
    return { line: p.line, column: p.col };
  };
}
