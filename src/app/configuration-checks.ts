import type { ConfigurationCheck, Finding, OpenumConfiguration } from '../config/index.js';
import { authorizeDial, checkDialingRuleEntry, findShadowedEntries } from '../dialing/index.js';
import { Directory } from '../directory/index.js';

const RULE_LISTS = ['ConfiguredInCountryOrRegionGroups', 'ConfiguredInternationalGroups'] as const;

/** Mask syntax, x counts, group names and shadowed entries: the dialing layer's rules on each entry. */
export function checkDialingRules(configuration: OpenumConfiguration): Finding[] {
  const out: Finding[] = [];
  configuration.UMDialPlans.forEach((dialPlan, i) => {
    for (const list of RULE_LISTS) {
      const entries = dialPlan[list];
      let listHasErrors = false;
      entries.forEach((entry, j) => {
        for (const p of checkDialingRuleEntry(entry)) {
          if (p.severity === 'error') listHasErrors = true;
          const f: Finding = { code: p.code, message: `${p.field}: ${p.message}`, path: ['UMDialPlans', i, list, j] };
          if (p.need !== undefined) f.expected = String(p.need);
          if (p.got !== undefined) f.found = String(p.got);
          out.push(f);
        }
      });
      // Shadowing is only meaningful between entries whose masks parse.
      if (listHasErrors) continue;
      for (const s of findShadowedEntries(entries)) {
        out.push({ code: s.code, message: s.message, path: ['UMDialPlans', i, list, s.index] });
      }
    }
  });
  return out;
}

/** E_KEY_MAPPING_NOT_DIALABLE: every key mapping and operator extension must pass the AA's own rules. */
export function checkAutoAttendantTargets(configuration: OpenumConfiguration): Finding[] {
  const out: Finding[] = [];
  const directory = new Directory(configuration);
  configuration.UMAutoAttendants.forEach((aa, i) => {
    const subject = directory.dialSubject('auto-attendant', aa.Name);
    const check = (number: string, path: Finding['path']) => {
      const decision = authorizeDial({ scenario: 'auto-attendant', dialString: number, dialPlan: subject.dialPlan, permissions: subject.permissions, subscribers: directory.subscribers });
      if (!decision.allowed) {
        out.push({ code: 'E_KEY_MAPPING_NOT_DIALABLE', message: `auto attendant "${aa.Name}" may not dial ${number} (${decision.reason ?? 'denied'}); run openum check-dial --config <file> --scenario auto-attendant --auto-attendant ${aa.Name} ${number} for the trace`, path, found: number });
      }
    };
    for (const list of ['BusinessHoursKeyMapping', 'AfterHoursKeyMapping'] as const) {
      aa[list].forEach((k, j) => {
        if (k.Extension !== '') check(k.Extension, ['UMAutoAttendants', i, list, j]);
      });
    }
    if (aa.OperatorExtension !== undefined) check(aa.OperatorExtension, ['UMAutoAttendants', i, 'OperatorExtension']);
  });
  return out;
}

/** Every check other layers add to the config layer's own, in the order `openum validate` runs them. */
export const CONFIGURATION_CHECKS: readonly ConfigurationCheck[] = [checkDialingRules, checkAutoAttendantTargets];
