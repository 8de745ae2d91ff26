import type { Finding } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';
import { didYouMean } from '../suggest.js';
import { indexByName } from './names.js';

function unknown(code: string, kind: string, name: string, known: readonly string[], path: Finding['path']): Finding {
  const hint = didYouMean(name, known);
  return { code, message: `no ${kind} named "${name}"${hint ? `; did you mean "${hint}"?` : ''}`, path, found: name };
}

/** E_UNKNOWN_DIAL_PLAN, E_UNKNOWN_POLICY, E_UNKNOWN_AUTO_ATTENDANT: references must resolve. */
export function checkReferences(config: ConfigurationInput): Finding[] {
  const out: Finding[] = [];
  const dialPlans = config.UMDialPlans.map((d) => d.Name);
  const policies = config.UMMailboxPolicies.map((p) => p.Name);
  const attendants = config.UMAutoAttendants.map((a) => a.Name);
  const dpIndex = indexByName(config.UMDialPlans, (d) => d.Name);
  const policyIndex = indexByName(config.UMMailboxPolicies, (p) => p.Name);
  const aaIndex = indexByName(config.UMAutoAttendants, (a) => a.Name);
  const dialPlan = (name: string, path: Finding['path']) => {
    if (!dpIndex.has(name.toLowerCase())) out.push(unknown('E_UNKNOWN_DIAL_PLAN', 'UM dial plan', name, dialPlans, path));
  };
  config.UMMailboxPolicies.forEach((p, i) => dialPlan(p.UMDialPlan, ['UMMailboxPolicies', i, 'UMDialPlan']));
  config.UMAutoAttendants.forEach((a, i) => dialPlan(a.UMDialPlan, ['UMAutoAttendants', i, 'UMDialPlan']));
  config.UMIPGateways.forEach((g, i) => g.UMDialPlans.forEach((d, j) => dialPlan(d, ['UMIPGateways', i, 'UMDialPlans', j])));
  config.Integration?.UMDialPlans?.forEach((d, j) => dialPlan(d, ['Integration', 'UMDialPlans', j]));
  config.UMMailboxes.forEach((m, i) => {
    if (!policyIndex.has(m.UMMailboxPolicy.toLowerCase())) {
      out.push(unknown('E_UNKNOWN_POLICY', 'UM mailbox policy', m.UMMailboxPolicy, policies, ['UMMailboxes', i, 'UMMailboxPolicy']));
    }
  });
  const attendant = (name: string, path: Finding['path']) => {
    if (!aaIndex.has(name.toLowerCase())) out.push(unknown('E_UNKNOWN_AUTO_ATTENDANT', 'UM auto attendant', name, attendants, path));
  };
  config.UMAutoAttendants.forEach((a, i) => {
    if (a.DTMFFallbackAutoAttendant !== undefined) attendant(a.DTMFFallbackAutoAttendant, ['UMAutoAttendants', i, 'DTMFFallbackAutoAttendant']);
    for (const list of ['BusinessHoursKeyMapping', 'AfterHoursKeyMapping'] as const) {
      a[list].forEach((k, j) => {
        if (k.AutoAttendant !== '') attendant(k.AutoAttendant, ['UMAutoAttendants', i, list, j]);
      });
    }
  });
  return out;
}
