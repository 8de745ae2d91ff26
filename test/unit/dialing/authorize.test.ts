import { authorizeDial, compileDialingRules, formatTrace, InvalidDialingRuleError, permissionsFor } from '../../../src/dialing/index.js';
import type { DialDecision, DialingPermissions, DialingRulesSource, DialScenario } from '../../../src/dialing/index.js';
import { permissions, redmondDialPlan, subscribers } from './fixtures.js';

const plan = redmondDialPlan();

function dial(dialString: string, perms: DialingPermissions, options: { dialPlan?: DialingRulesSource; trace?: boolean; scenario?: DialScenario } = {}): DialDecision {
  return authorizeDial({ scenario: options.scenario ?? 'play-on-phone', dialString, dialPlan: options.dialPlan ?? plan, permissions: perms, subscribers, trace: options.trace ?? false });
}

describe('authorizeDial: rule entries (spec §1)', () => {
  test('an allowed entry wins and its dialed number goes to the gateway; the decision has every field', () => {
    const d = dial('425-555-1234', permissions(['Local']));
    expect(d).toEqual({
      dialString: '425-555-1234',
      allowed: true,
      category: 'national',
      prefixed: '914255551234',
      group: 'Local',
      entry: { list: 'ConfiguredInCountryOrRegionGroups', index: 0, rule: plan.ConfiguredInCountryOrRegionGroups[0] },
      dialed: '95551234',
      reason: undefined,
      trace: [],
    });
    expect(d.entry?.rule).toBe(plan.ConfiguredInCountryOrRegionGroups[0]);
  });

  test('allowed groups are walked in the order listed, not the order configured', () => {
    expect(dial('425-555-1234', permissions(['Nationwide', 'Local']))).toEqual(expect.objectContaining({ group: 'Nationwide', dialed: '914255551234' }));
    expect(dial('425-555-1234', permissions(['Local', 'Nationwide']))).toEqual(expect.objectContaining({ group: 'Local', dialed: '95551234' }));
  });

  test('inside a group the entries are tried in configured order', () => {
    const dp = redmondDialPlan({
      ConfiguredInCountryOrRegionGroups: [
        { Name: 'G', NumberMask: '91425*', DialedNumber: '91*' },
        { Name: 'G', NumberMask: '91425xxxxxxx', DialedNumber: '9xxxxxxx' },
      ],
    });
    expect(dial('4255551234', permissions(['G']), { dialPlan: dp })).toEqual(expect.objectContaining({ dialed: '915551234', entry: expect.objectContaining({ index: 0 }) }));
  });

  test('allowed group names compare case-insensitively', () => {
    expect(dial('425-555-1234', permissions(['LOCAL']))).toEqual(expect.objectContaining({ allowed: true, group: 'LOCAL' }));
  });

  test('group-not-allowed: an entry matches, but only in a group the governing object does not allow', () => {
    const d = dial('1-900-555-1234', permissions(['TollFree']));
    expect(d).toEqual(expect.objectContaining({ allowed: false, reason: 'group-not-allowed', category: 'national', prefixed: '919005551234', group: 'Premium', dialed: undefined }));
    expect(d.entry).toEqual({ list: 'ConfiguredInCountryOrRegionGroups', index: 3, rule: plan.ConfiguredInCountryOrRegionGroups[3] });
  });

  test('no-matching-rule: nothing in any group of the category matches', () => {
    const dp = redmondDialPlan({ ConfiguredInCountryOrRegionGroups: [{ Name: 'Local', NumberMask: '91425xxxxxxx', DialedNumber: '9xxxxxxx' }] });
    expect(dial('312-555-1234', permissions(['Local']), { dialPlan: dp })).toEqual(expect.objectContaining({ allowed: false, reason: 'no-matching-rule', group: undefined, entry: undefined, prefixed: '913125551234' }));
  });

  test('with no allowed groups, numbers are refused and only extensions can be dialled', () => {
    expect(dial('425-555-1234', permissions([]))).toEqual(expect.objectContaining({ allowed: false, reason: 'group-not-allowed' }));
    expect(dial('12345', permissions([], [], { AllowDialPlanSubscribers: true }))).toEqual(expect.objectContaining({ allowed: true, category: 'extension' }));
  });

  test('international numbers use the international groups only', () => {
    expect(dial('+44 20 7946 0018', permissions([], ['UK']))).toEqual(expect.objectContaining({ allowed: true, category: 'international', group: 'UK', dialed: '9011442079460018' }));
    // In-country catch-alls do not open international numbers.
    expect(dial('+44 20 7946 0018', permissions(['Anywhere', 'Nationwide']))).toEqual(expect.objectContaining({ allowed: false, reason: 'group-not-allowed', group: 'UK' }));
    expect(dial('011 49 30 123456', permissions([], ['UK']))).toEqual(expect.objectContaining({ allowed: false, reason: 'group-not-allowed', group: 'Germany' }));
    const ukOnly = redmondDialPlan({ ConfiguredInternationalGroups: [{ Name: 'UK', NumberMask: '901144*', DialedNumber: '901144*' }] });
    expect(dial('011 49 30 123456', permissions([], ['UK']), { dialPlan: ukOnly })).toEqual(expect.objectContaining({ allowed: false, reason: 'no-matching-rule' }));
  });

  test('not-dialable: empty, or no digits', () => {
    for (const s of ['', '  ', 'abc', '+']) {
      expect(dial(s, permissions(['Anywhere']))).toEqual(expect.objectContaining({ allowed: false, reason: 'not-dialable', category: undefined, prefixed: undefined }));
    }
  });
});

describe('authorizeDial: extensions (spec §2.2)', () => {
  test('AllowDialPlanSubscribers: a UM user of the same dial plan may be dialled, nobody else', () => {
    const p = permissions([], [], { AllowDialPlanSubscribers: true });
    expect(dial('12345', p)).toEqual(expect.objectContaining({ allowed: true, category: 'extension', prefixed: '12345', dialed: '12345', group: undefined, entry: undefined }));
    expect(dial('12346', p)).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed', category: 'extension', dialed: undefined }));
    // 23456 is a UM user, but of the Paris dial plan.
    expect(dial('23456', p)).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed' }));
  });

  test('AllowExtensions: any number of the extension length', () => {
    const p = permissions([], [], { AllowExtensions: true });
    expect(dial('12346', p)).toEqual(expect.objectContaining({ allowed: true, dialed: '12346' }));
    expect(dial('1-2-3-4-6', p)).toEqual(expect.objectContaining({ allowed: true, dialed: '12346' }));
  });

  test('both flags off: no extension calls at all, not even to UM users', () => {
    expect(dial('12345', permissions(['Anywhere']))).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed' }));
  });

  test('a SIP URI of a UM user of this dial plan is an extension call to that user', () => {
    const subs = permissions([], [], { AllowDialPlanSubscribers: true });
    expect(dial('sip:alice@contoso.com', subs)).toEqual(expect.objectContaining({ allowed: true, category: 'extension', prefixed: '12345', dialed: '12345' }));
    expect(dial('sip:alice@contoso.com', permissions([], [], { AllowExtensions: true }))).toEqual(expect.objectContaining({ allowed: true, dialed: '12345' }));
    expect(dial('sip:alice@contoso.com', permissions(['Anywhere']))).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed' }));
  });

  test('a SIP URI of a UM user without extension goes out as the URI under AllowDialPlanSubscribers only', () => {
    expect(dial('sip:carol@contoso.com', permissions([], [], { AllowDialPlanSubscribers: true }))).toEqual(expect.objectContaining({ allowed: true, dialed: 'sip:carol@contoso.com' }));
    expect(dial('sip:carol@contoso.com', permissions([], [], { AllowExtensions: true }))).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed' }));
  });

  test('a SIP URI of a UM user of another dial plan is refused', () => {
    expect(dial('sip:bob@contoso.com', permissions(['Anywhere'], [], { AllowDialPlanSubscribers: true, AllowExtensions: true }))).toEqual(expect.objectContaining({ allowed: false, reason: 'extension-not-allowed', category: 'extension' }));
  });
});

describe('authorizeDial: SIP URIs of no UM user (spec §2.3 step 1)', () => {
  const uri = 'sip:dave@fabrikam.com;user=phone';

  test('go out unchanged through an allowed in-country entry whose mask is *', () => {
    expect(dial(uri, permissions(['Nationwide', 'Anywhere']))).toEqual(expect.objectContaining({
      allowed: true, category: 'sip', prefixed: uri, dialed: uri, group: 'Anywhere', entry: expect.objectContaining({ index: 5 }),
    }));
  });

  test('are refused as group-not-allowed when the * entry exists in a group not allowed', () => {
    expect(dial(uri, permissions(['Nationwide']))).toEqual(expect.objectContaining({ allowed: false, reason: 'group-not-allowed', group: 'Anywhere' }));
  });

  test('are refused as no-matching-rule when no in-country entry is *', () => {
    const dp = redmondDialPlan({ ConfiguredInCountryOrRegionGroups: [{ Name: 'Nationwide', NumberMask: '91*', DialedNumber: '91*' }], ConfiguredInternationalGroups: [{ Name: 'All', NumberMask: '*', DialedNumber: '*' }] });
    expect(dial(uri, permissions(['Nationwide'], ['All']), { dialPlan: dp })).toEqual(expect.objectContaining({ allowed: false, reason: 'no-matching-rule' }));
  });
});

describe('authorizeDial: scenarios (spec §2.1)', () => {
  const policy = permissions(['Local'], [], { AllowDialPlanSubscribers: true });
  const dialPlanPermissions = permissions([], [], { AllowDialPlanSubscribers: true });
  const autoAttendant = permissions(['TollFree'], [], { AllowExtensions: true });
  const objects = { policy, dialPlan: dialPlanPermissions, autoAttendant };
  const decide = (scenario: DialScenario, s: string): DialDecision =>
    authorizeDial({ scenario, dialString: s, dialPlan: plan, permissions: permissionsFor(scenario, objects), subscribers });

  test('play-on-phone and subscriber follow the mailbox policy', () => {
    for (const scenario of ['play-on-phone', 'subscriber'] as const) {
      expect(decide(scenario, '425-555-1234').allowed).toBe(true);
      expect(decide(scenario, '1-800-555-1234').reason).toBe('group-not-allowed');
      expect(decide(scenario, '12346').reason).toBe('extension-not-allowed');
    }
  });

  test('anonymous callers follow the dial plan', () => {
    expect(decide('anonymous', '425-555-1234').reason).toBe('group-not-allowed');
    expect(decide('anonymous', '12345').allowed).toBe(true);
  });

  test('auto attendants follow the AA alone', () => {
    expect(decide('auto-attendant', '1-800-555-1234').allowed).toBe(true);
    expect(decide('auto-attendant', '425-555-1234').reason).toBe('group-not-allowed');
    expect(decide('auto-attendant', '12346').allowed).toBe(true);
  });
});

describe('authorizeDial: trace', () => {
  test('lists classification, every entry considered with why, and the result', () => {
    const d = dial('+1 (425) 555-1234', permissions(['TollFree', 'Unconfigured', 'Local']), { trace: true, scenario: 'subscriber' });
    expect(d.trace).toEqual([
      { kind: 'input', scenario: 'subscriber', dialString: '+1 (425) 555-1234', digits: '14255551234', e164: true, sipUri: false },
      { kind: 'prefix', step: 2, rule: 'e164-national', dialable: '914255551234' },
      { kind: 'category', step: 2, rule: 'e164-national', category: 'national' },
      { kind: 'group', list: 'ConfiguredInCountryOrRegionGroups', group: 'TollFree', allowed: true, entries: 1 },
      { kind: 'entry', list: 'ConfiguredInCountryOrRegionGroups', group: 'TollFree', index: 2, mask: '91800xxxxxxx', allowed: true, outcome: 'digit-mismatch', position: 3, expected: '8', got: '4' },
      { kind: 'group', list: 'ConfiguredInCountryOrRegionGroups', group: 'Unconfigured', allowed: true, entries: 0 },
      { kind: 'group', list: 'ConfiguredInCountryOrRegionGroups', group: 'Local', allowed: true, entries: 2 },
      { kind: 'entry', list: 'ConfiguredInCountryOrRegionGroups', group: 'Local', index: 0, mask: '91425xxxxxxx', allowed: true, outcome: 'matched', dialed: '95551234' },
      { kind: 'result', allowed: true, dialed: '95551234' },
    ]);
    expect(formatTrace(d)).toEqual([
      'input "+1 (425) 555-1234" (subscriber): digits "14255551234", E.164',
      '§2.3 step 2: begins with + and the country code: outside line + national prefix + rest → 914255551234',
      '§2.3 step 2: national (E.164 in the dial plan\'s country)',
      'group TollFree (ConfiguredInCountryOrRegionGroups): allowed, 1 entry',
      '  [TollFree #2] 91800xxxxxxx: digit mismatch at position 3 (mask 8, got 4)',
      'group Unconfigured (ConfiguredInCountryOrRegionGroups): allowed, no entries configured',
      'group Local (ConfiguredInCountryOrRegionGroups): allowed, 2 entries',
      '  [Local #0] 91425xxxxxxx: matched → 95551234',
      'result: allowed, dial 95551234',
    ]);
  });

  test('records wrong lengths and the walk through groups that are not allowed', () => {
    const dp = redmondDialPlan({
      ConfiguredInCountryOrRegionGroups: [
        { Name: 'Short', NumberMask: '9xxxxxxx', DialedNumber: '9xxxxxxx' },
        { Name: 'Premium', NumberMask: '91900*', DialedNumber: '91900*' },
      ],
    });
    const d = dial('1-900-555-12', permissions(['Short']), { dialPlan: dp, trace: true });
    expect(d.reason).toBe('group-not-allowed');
    const entries = d.trace.filter((s) => s.kind === 'entry');
    expect(entries).toEqual([
      expect.objectContaining({ group: 'Short', allowed: true, outcome: 'wrong-length', got: 10, need: 8, atLeast: false }),
      expect.objectContaining({ group: 'Premium', allowed: false, outcome: 'matched', dialed: '919005551' + '2' }),
    ]);
    expect(d.trace.at(-1)).toEqual({ kind: 'result', allowed: false, reason: 'group-not-allowed' });
    expect(formatTrace(d)).toContain('  [Short #0] 9xxxxxxx: wrong length (10 digits, mask needs 8)');
    expect(formatTrace(d)).toContain('  [Premium #1] 91900* (group not allowed): matched → 9190055512');
  });

  test('extension and SIP steps are traced', () => {
    const d = dial('sip:dave@fabrikam.com', permissions(['Local', 'Anywhere'], [], { AllowExtensions: true }), { trace: true });
    expect(d.trace).toEqual(expect.arrayContaining([
      { kind: 'sip-user', uri: 'sip:dave@fabrikam.com', found: false },
      { kind: 'category', step: 1, rule: 'sip-uri-not-user', category: 'sip' },
      expect.objectContaining({ kind: 'entry', index: 0, outcome: 'not-catch-all' }),
      expect.objectContaining({ kind: 'entry', index: 5, outcome: 'matched', dialed: 'sip:dave@fabrikam.com' }),
    ]));
    const e = dial('12346', permissions([], [], { AllowDialPlanSubscribers: true }), { trace: true });
    expect(e.trace).toEqual(expect.arrayContaining([
      { kind: 'extension', flag: 'AllowDialPlanSubscribers', enabled: true, applies: false },
      { kind: 'extension', flag: 'AllowExtensions', enabled: false, applies: true },
      { kind: 'result', allowed: false, reason: 'extension-not-allowed' },
    ]));
    expect(formatTrace(e).every((line) => line.length > 0)).toBe(true);
  });

  test('JSON output is stable: same input, same string; key order fixed', () => {
    const a = JSON.stringify(dial('011 44 20 7946 0018', permissions([], ['Germany', 'UK']), { trace: true }));
    const b = JSON.stringify(dial('011 44 20 7946 0018', permissions([], ['Germany', 'UK']), { trace: true }));
    expect(a).toBe(b);
    expect(Object.keys(JSON.parse(a) as object)).toEqual(['dialString', 'allowed', 'category', 'prefixed', 'group', 'entry', 'dialed', 'trace']);
  });
});

describe('compilation', () => {
  test('is cached per dial plan and permissions object', () => {
    const p = permissions(['Local']);
    expect(compileDialingRules(plan, p)).toBe(compileDialingRules(plan, p));
    expect(compileDialingRules(plan, permissions(['Local']))).not.toBe(compileDialingRules(plan, p));
  });

  test('an invalid entry anywhere in the dial plan is a typed error, with or without trace', () => {
    const bad = redmondDialPlan({ ConfiguredInternationalGroups: [{ Name: 'Bad', NumberMask: '9011*44', DialedNumber: '9011*' }] });
    expect(() => dial('425-555-1234', permissions(['Local']), { dialPlan: bad })).toThrow(InvalidDialingRuleError);
    expect(() => dial('425-555-1234', permissions(['Local']), { dialPlan: bad, trace: true })).toThrow(InvalidDialingRuleError);
  });
});
