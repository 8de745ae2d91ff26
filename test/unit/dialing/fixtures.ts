// Small dial plans and lookups shared by the dialing tests (spec §2.3 worked-example codes).
import type { DialingPermissions, DialingRulesSource, SubscriberLookup } from '../../../src/dialing/index.js';

/** OLAC 9, IAC 011, NNP 1, CC 1, 5-digit extensions (the §2.3 worked examples). */
export function redmondDialPlan(overrides: Partial<DialingRulesSource> = {}): DialingRulesSource {
  return {
    Name: 'Redmond',
    NumberOfDigitsInExtension: 5,
    OutsideLineAccessCode: '9',
    InternationalAccessCode: '011',
    NationalNumberPrefix: '1',
    CountryOrRegionCode: '1',
    ConfiguredInCountryOrRegionGroups: [
      { Name: 'Local', NumberMask: '91425xxxxxxx', DialedNumber: '9xxxxxxx', Comment: 'Redmond, dialled locally' },
      { Name: 'Local', NumberMask: '91206xxxxxxx', DialedNumber: '91206xxxxxxx' },
      { Name: 'TollFree', NumberMask: '91800xxxxxxx', DialedNumber: '91800xxxxxxx' },
      { Name: 'Premium', NumberMask: '91900xxxxxxx', DialedNumber: '91900xxxxxxx' },
      { Name: 'Nationwide', NumberMask: '91*', DialedNumber: '91*' },
      { Name: 'Anywhere', NumberMask: '*', DialedNumber: '*' },
    ],
    ConfiguredInternationalGroups: [
      { Name: 'UK', NumberMask: '901144*', DialedNumber: '901144*' },
      { Name: 'Germany', NumberMask: '901149*', DialedNumber: '901149*' },
      { Name: 'World', NumberMask: '9011*', DialedNumber: '9011*' },
    ],
    ...overrides,
  };
}

/** Permissions with the given allowed groups; both Allow flags off unless set. */
export function permissions(inCountry: string[], international: string[] = [], flags: Partial<DialingPermissions> = {}): DialingPermissions {
  return { AllowDialPlanSubscribers: false, AllowExtensions: false, AllowedInCountryOrRegionGroups: inCountry, AllowedInternationalGroups: international, ...flags };
}

/** Users: 12345 in Redmond (alice), 23456 in Paris (bob), carol in Redmond without an extension. */
export const subscribers: SubscriberLookup = {
  hasExtension: (dialPlanName, extension) => (dialPlanName === 'Redmond' && extension === '12345') || (dialPlanName === 'Paris' && extension === '23456'),
  findBySipUri: (uri) => {
    switch (uri) {
      case 'alice@contoso.com': return { dialPlanName: 'Redmond', extension: '12345' };
      case 'bob@contoso.com': return { dialPlanName: 'Paris', extension: '23456' };
      case 'carol@contoso.com': return { dialPlanName: 'Redmond' };
      default: return undefined;
    }
  },
};
