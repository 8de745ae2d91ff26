import type { Finding } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';

/** Case-insensitive name → index of the first object with it, as Exchange identities compare. */
export function indexByName<T>(items: readonly T[], name: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item, i) => {
    const key = name(item).toLowerCase();
    if (!map.has(key)) map.set(key, i);
  });
  return map;
}

/** E_DUPLICATE_NAME: two objects of a collection with one identity. */
export function checkDuplicateNames(config: ConfigurationInput): Finding[] {
  const out: Finding[] = [];
  const collections: [keyof ConfigurationInput, readonly { Name?: string; Alias?: string }[]][] = [
    ['UMDialPlans', config.UMDialPlans], ['UMIPGateways', config.UMIPGateways], ['UMMailboxPolicies', config.UMMailboxPolicies],
    ['UMAutoAttendants', config.UMAutoAttendants], ['UMMailboxes', config.UMMailboxes], ['Contacts', config.Contacts],
  ];
  for (const [key, items] of collections) {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const idKey = item.Name !== undefined ? 'Name' : 'Alias';
      const id = (item.Name ?? item.Alias ?? '').toLowerCase();
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else out.push({ code: 'E_DUPLICATE_NAME', message: `${idKey} "${item.Name ?? item.Alias}" is already used by ${key}[${first}]`, path: [key, i, idKey] });
    });
  }
  return out;
}
