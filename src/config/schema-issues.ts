import type { z } from 'zod';
import type { Finding, PathSegment } from './diagnostic.js';
import { didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Short, readable rendering of a found value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/** The object keys the schema accepts at a path (through arrays, defaults, optionals and pipes). */
function knownKeysAt(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let node: AnySchema | undefined = schema;
  const unwrap = (n: AnySchema | undefined): AnySchema | undefined => {
    let cur = n;
    for (let guard = 0; cur && guard < 10; guard++) {
      const def = cur._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') cur = def['innerType'] as AnySchema;
      else if (def.type === 'pipe') cur = (def['out'] as AnySchema)._zod.def.type === 'transform' ? (def['in'] as AnySchema) : (def['out'] as AnySchema);
      else return cur;
    }
    return cur;
  };
  for (const segment of [...path, null]) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'union') {
      node = (def['options'] as AnySchema[]).map(unwrap).find((o) => o?._zod.def.type === 'object');
      if (!node) return [];
    }
    const d = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (segment === null) return d.type === 'object' ? Object.keys(d['shape'] as object) : [];
    if (d.type === 'object') node = (d['shape'] as Record<string, AnySchema>)[segment];
    else if (d.type === 'array') node = d['element'] as AnySchema;
    else return [];
  }
  return [];
}

/** Picks the union branch the author most plausibly meant: the one whose failures go deepest. */
function bestBranch(branches: Issue[][]): Issue[] {
  const score = (issues: Issue[]) => Math.max(...issues.map((i) => (i.code === 'invalid_type' ? 0 : 1 + i.path.length)));
  return branches.reduce((a, b) => (score(b) > score(a) ? b : a), branches[0] ?? []);
}

/** Converts schema issues into findings with openum's codes, expected/found and suggestions. */
export function findingsFromIssues(issues: readonly Issue[], schema: AnySchema, prefix: readonly PathSegment[] = []): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, path);
        for (const key of issue.keys) {
          const hint = didYouMean(key, known);
          out.push({ code: 'E_UNKNOWN_KEY', message: `unknown property "${key}"${hint ? `; did you mean "${hint}"?` : ''}`, path: [...path, key] });
        }
        break;
      }
      case 'invalid_union':
        out.push(...findingsFromIssues(bestBranch(issue.errors as Issue[][]), schema, path));
        break;
      case 'invalid_type':
        if (input === undefined) out.push({ code: 'E_REQUIRED', message: 'required property is missing', path, expected: issue.expected });
        else out.push({ code: 'E_TYPE', message: `wrong type`, path, expected: issue.expected, found: describeValue(input) });
        break;
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
        const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
        out.push({ code: 'E_RANGE', message: 'out of range', path, expected: `${bound}${unit}`, found: describeValue(input) });
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
        const hint = typeof input === 'string' ? didYouMean(input, values) : undefined;
        out.push({ code: 'E_ENUM', message: `not an allowed value${hint ? `; did you mean "${hint}"?` : ''}`, path, expected: `one of ${values.join(', ')}`, found: describeValue(input) });
        break;
      }
      default:
        out.push({ code: 'E_FORMAT', message: 'wrong form', path, expected: issue.message, found: describeValue(input) });
    }
  }
  return out;
}
