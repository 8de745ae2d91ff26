import type { PathSegment } from './diagnostic.js';

/**
 * Renders a path as an administrator reads it: items of the top-level collections by their Name or
 * Alias (`UMDialPlans[Redmond]`), other list items by index.
 */
export function formatPropertyPath(root: unknown, path: readonly PathSegment[]): string {
  let out = '';
  let node: unknown = root;
  path.forEach((segment, i) => {
    const child = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === 'number') {
      const id = i === 1 ? identify(child) : undefined;
      out += `[${id ?? segment}]`;
    } else {
      out += out === '' ? segment : `.${segment}`;
    }
    node = child;
  });
  return out;
}

function identify(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const id = o['Name'] ?? o['Alias'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
