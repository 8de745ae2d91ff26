import type { SipAddress } from '../facade/facade-types.js';

/** An RFC 7044 index (`1.1.2`) as numbers, for ordering. */
function indexKey(address: SipAddress, fallback: number): number[] {
  const raw = address.params['index'];
  return raw === undefined ? [fallback] : raw.split('.').map((n) => Number.parseInt(n, 10) || 0);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** History-Info entries in index order (oldest first), RFC 7044 §10.3; entries without index keep their order. */
export function orderHistoryInfo(entries: readonly SipAddress[]): SipAddress[] {
  return entries
    .map((entry, i) => ({ entry, key: indexKey(entry, i + 1) }))
    .sort((a, b) => compare(a.key, b.key))
    .map((e) => e.entry);
}
