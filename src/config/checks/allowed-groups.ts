import type { Finding, PathSegment } from '../diagnostic.js';
import type { ConfigurationInput } from '../schema/configuration.js';
import type { UMDialPlanInput } from '../schema/um-dial-plan.js';
import { didYouMean } from '../suggest.js';
import { indexByName } from './names.js';

/** Exchange's limit on an allowed-groups list, joined with commas. */
const MAX_ALLOWED_LIST_CHARS = 128;

const LISTS = [
  ['AllowedInCountryOrRegionGroups', 'ConfiguredInCountryOrRegionGroups'],
  ['AllowedInternationalGroups', 'ConfiguredInternationalGroups'],
] as const;

interface Governing {
  path: PathSegment[];
  AllowedInCountryOrRegionGroups: readonly string[];
  AllowedInternationalGroups: readonly string[];
}

function checkLists(object: Governing, dialPlan: UMDialPlanInput | undefined, out: Finding[]): void {
  for (const [allowedKey, configuredKey] of LISTS) {
    const allowed = object[allowedKey];
    const joined = allowed.join(',');
    if (joined.length > MAX_ALLOWED_LIST_CHARS) {
      out.push({ code: 'E_ALLOWED_GROUPS_LENGTH', message: `${allowedKey} is too long for Exchange`, path: [...object.path, allowedKey], expected: `at most ${MAX_ALLOWED_LIST_CHARS} characters joined with commas`, found: `${joined.length}` });
    }
    if (!dialPlan) continue; // an unknown dial plan is reported by the reference check
    const defined = [...new Set(dialPlan[configuredKey].map((e) => e.Name))];
    allowed.forEach((group, i) => {
      // Group names compare case-insensitively, as the dialing engine matches them.
      if (defined.some((d) => d.toLowerCase() === group.toLowerCase())) return;
      const hint = didYouMean(group, defined);
      out.push({
        code: 'E_UNKNOWN_GROUP',
        message: `no entry of ${configuredKey} in dial plan "${dialPlan.Name}" defines group "${group}"${hint ? `; did you mean "${hint}"?` : ''}`,
        path: [...object.path, allowedKey, i],
        found: group,
      });
    });
  }
}

/**
 * E_UNKNOWN_GROUP, E_ALLOWED_GROUPS_LENGTH on dial plans, policies and auto attendants (each against
 * its governing dial plan, spec §2.1), and W_AA_GROUP_NOT_IN_DIAL_PLAN (spec §2.1 Decision).
 */
export function checkAllowedGroups(config: ConfigurationInput): Finding[] {
  const out: Finding[] = [];
  const dpIndex = indexByName(config.UMDialPlans, (d) => d.Name);
  const dialPlanOf = (name: string) => {
    const i = dpIndex.get(name.toLowerCase());
    return i === undefined ? undefined : config.UMDialPlans[i];
  };
  config.UMDialPlans.forEach((d, i) => checkLists({ ...d, path: ['UMDialPlans', i] }, d, out));
  config.UMMailboxPolicies.forEach((p, i) => checkLists({ ...p, path: ['UMMailboxPolicies', i] }, dialPlanOf(p.UMDialPlan), out));
  config.UMAutoAttendants.forEach((a, i) => {
    const dialPlan = dialPlanOf(a.UMDialPlan);
    checkLists({ ...a, path: ['UMAutoAttendants', i] }, dialPlan, out);
    if (!dialPlan) return;
    for (const [allowedKey] of LISTS) {
      a[allowedKey].forEach((group, j) => {
        if (!dialPlan[allowedKey].some((g) => g.toLowerCase() === group.toLowerCase())) {
          out.push({
            code: 'W_AA_GROUP_NOT_IN_DIAL_PLAN',
            message: `auto attendant allows "${group}" but dial plan "${dialPlan.Name}" does not list it in its own ${allowedKey}; openum lets the auto attendant decide (spec §2.1), Exchange's text says both apply`,
            path: ['UMAutoAttendants', i, allowedKey, j],
          });
        }
      });
    }
  });
  return out;
}
