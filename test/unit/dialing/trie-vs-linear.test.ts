// The compiled trie (trace off) and the traced linear walk must give identical decisions.
import { buildDialStrings, buildLargeSite } from '../../../bench/fixtures/large-site.js';
import { mulberry32 as random } from '../../../bench/support/prng.js';
import { authorizeDial } from '../../../src/dialing/index.js';
import type { DialDecision, DialingPermissions, DialingRuleEntry, DialingRulesSource, SubscriberLookup } from '../../../src/dialing/index.js';

const withoutTrace = ({ trace: _trace, ...rest }: DialDecision): Omit<DialDecision, 'trace'> => rest;


function compare(dialPlan: DialingRulesSource, perms: readonly DialingPermissions[], dialStrings: readonly string[], subscribers: SubscriberLookup): { allowed: number; reasons: Set<string> } {
  let allowed = 0;
  const reasons = new Set<string>();
  dialStrings.forEach((dialString, i) => {
    const permissions = perms[i % perms.length] as DialingPermissions;
    const fast = authorizeDial({ scenario: 'play-on-phone', dialString, dialPlan, permissions, subscribers });
    const traced = authorizeDial({ scenario: 'play-on-phone', dialString, dialPlan, permissions, subscribers, trace: true });
    expect(fast.trace).toEqual([]);
    expect(traced.trace.length).toBeGreaterThan(0);
    // toEqual would pass silently on a mismatch hidden in an unreported field; compare the JSON form too.
    expect(withoutTrace(fast)).toEqual(withoutTrace(traced));
    expect(JSON.stringify(withoutTrace(fast))).toBe(JSON.stringify(withoutTrace(traced)));
    if (fast.allowed) allowed++;
    else reasons.add(fast.reason ?? '');
  });
  return { allowed, reasons };
}

describe('trie and linear walk agree', () => {
  test('on the 500-entry large site, for 4,000 dial strings under every policy', () => {
    const mailboxes = 2000;
    const site = buildLargeSite({ ruleEntries: 500, mailboxes });
    const dialPlan = site.UMDialPlans[0] as DialingRulesSource & DialingPermissions;
    expect(dialPlan.ConfiguredInCountryOrRegionGroups.length + dialPlan.ConfiguredInternationalGroups.length).toBe(500);
    const extensions = new Set(site.UMMailboxes.flatMap((m) => m.Extensions));
    const bySip = new Map(site.UMMailboxes.map((m) => [m.SIPResourceIdentifier.toLowerCase(), { dialPlanName: dialPlan.Name, extension: m.Extensions[0] }]));
    const subscribers: SubscriberLookup = {
      hasExtension: (dp, ext) => dp === dialPlan.Name && extensions.has(ext),
      findBySipUri: (uri) => bySip.get(uri),
    };
    const perms: DialingPermissions[] = [...site.UMMailboxPolicies, dialPlan];
    const { allowed, reasons } = compare(dialPlan, perms, buildDialStrings(4000, 12345, mailboxes), subscribers);
    // The mix must exercise both outcomes and every reason, or the comparison proves little.
    expect(allowed).toBeGreaterThan(500);
    expect([...reasons].sort()).toEqual(['extension-not-allowed', 'group-not-allowed', 'no-matching-rule', 'not-dialable']);
  });

  test('on 20 random dial plans with overlapping x/digit/* masks and random permissions', () => {
    const next = random(0x5eed);
    const int = (n: number): number => Math.floor(next() * n);
    const randomMask = (): string => {
      const length = int(8);
      let s = '';
      for (let i = 0; i < length; i++) s += next() < 0.4 ? 'x' : String(int(3)); // few digits: many overlaps
      return length === 0 || next() < 0.3 ? `${s}*` : s;
    };
    const randomEntries = (count: number, groups: string[]): DialingRuleEntry[] =>
      Array.from({ length: count }, () => {
        const mask = randomMask();
        return { Name: groups[int(groups.length)] as string, NumberMask: mask, DialedNumber: mask };
      });
    const none: SubscriberLookup = { hasExtension: () => false, findBySipUri: () => undefined };
    let allowedTotal = 0;
    for (let plan = 0; plan < 20; plan++) {
      const groups = ['A', 'B', 'C', 'D', 'E', 'F'];
      const dialPlan: DialingRulesSource = {
        Name: `P${plan}`,
        NumberOfDigitsInExtension: 12,
        OutsideLineAccessCode: '',
        InternationalAccessCode: '00',
        NationalNumberPrefix: '',
        CountryOrRegionCode: '',
        ConfiguredInCountryOrRegionGroups: randomEntries(25, groups),
        ConfiguredInternationalGroups: randomEntries(10, groups),
      };
      const pick = (): string[] => groups.filter(() => next() < 0.5).sort(() => next() - 0.5);
      const perms: DialingPermissions[] = Array.from({ length: 3 }, () => ({ AllowDialPlanSubscribers: false, AllowExtensions: false, AllowedInCountryOrRegionGroups: pick(), AllowedInternationalGroups: pick() }));
      const dialStrings = Array.from({ length: 150 }, () => {
        if (next() < 0.1) return `sip:someone${int(10)}@fabrikam.com`; // needs an in-country * entry
        let s = next() < 0.2 ? '00' : '';
        const length = int(11);
        for (let i = 0; i < length; i++) s += String(int(3));
        return s;
      });
      allowedTotal += compare(dialPlan, perms, dialStrings, none).allowed;
    }
    expect(allowedTotal).toBeGreaterThan(100);
  });
});
