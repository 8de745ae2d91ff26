import type { OpenumConfiguration, UMDialPlan, UMMailbox } from '../../../src/config/index.js';
import { loadConfigurationText } from '../../../src/config/index.js';
import type { CallerNameResolution } from '../../../src/directory/index.js';
import {
  CALLER_NAME_STEPS, Directory, normalizePhoneNumber, numberForms, numberMaskMatches, parseCallerIdentity, resolveCallerName, toE164,
} from '../../../src/directory/index.js';

/**
 * One number, +1 206 555 0111, sits at several steps at once: a UMCallingLineId of ana (step 3), the
 * MobilePhone of contact bob (step 5) and, in national form, the MobilePhone of one of kim's personal
 * contacts (step 6). Each variant removes the earlier holder so the next step must answer.
 */
interface Variant {
  anaHasLineId?: boolean;
  heuristic?: boolean;
  personalContact?: boolean;
  equivalentBellevue?: boolean;
}

function yaml(v: Variant = {}): string {
  const { anaHasLineId = true, heuristic = true, personalContact = true, equivalentBellevue = true } = v;
  return `
Server: { Domain: contoso.com }
UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 5
    CountryOrRegionCode: 1
    NationalNumberPrefix: 1
    NumberingPlanFormats: ["+14255550xxx"]
    EquivalentDialPlanPhoneContexts: ${equivalentBellevue ? '[bellevue.contoso.com]' : '[]'}
    AllowHeuristicADCallingLineIdResolution: ${heuristic}
  - { Name: Paris, NumberOfDigitsInExtension: 5, CountryOrRegionCode: 33, NationalNumberPrefix: 0 }
  - { Name: Bellevue, NumberOfDigitsInExtension: 5, CountryOrRegionCode: 1, NationalNumberPrefix: 1, NumberingPlanFormats: ["+14255551xxx"] }
  - { Name: London, NumberOfDigitsInExtension: 4, CountryOrRegionCode: 44, NationalNumberPrefix: 0, NumberingPlanFormats: ["+44207946xxxx"] }
UMMailboxPolicies:
  - { Name: RedmondPolicy, UMDialPlan: Redmond }
  - { Name: ParisPolicy, UMDialPlan: Paris }
  - { Name: BellevuePolicy, UMDialPlan: Bellevue }
  - { Name: LondonPolicy, UMDialPlan: London }
UMMailboxes:
  - Alias: kim
    DisplayName: Kim Akers
    PrimarySmtpAddress: kim@contoso.com
    UMMailboxPolicy: RedmondPolicy
    Extensions: [50101]
    SIPResourceIdentifier: kim@contoso.com
    PersonalContacts:
      ${personalContact ? '- { DisplayName: "Bobby (personal)", MobilePhone: "1 206 555 0111" }' : ''}
      - { DisplayName: "Ana (personal)", SIP: "sip:ana@contoso.com", HomePhone: "+14255550103" }
      - { DisplayName: "Carol (personal)", SIP: "carol@fabrikam.com", OtherTelephone: ["+1 425 555 0199"] }
  - Alias: ana
    DisplayName: Ana Trujillo
    PrimarySmtpAddress: ana@contoso.com
    UMMailboxPolicy: RedmondPolicy
    Extensions: [50103]
    SIPResourceIdentifier: ana@contoso.com
    UMCallingLineIds: ${anaHasLineId ? '["+12065550111", "+14255550177"]' : '["+14255550177"]'}
  - Alias: david
    DisplayName: David Hamilton
    PrimarySmtpAddress: david@contoso.com
    UMMailboxPolicy: RedmondPolicy
    Extensions: [50102]
    LineURI: "tel:+14255559999;ext=59999"
    Phone: "+1 425 555 0177"
  - { Alias: pierre, DisplayName: Pierre Martin, PrimarySmtpAddress: pierre@contoso.com, UMMailboxPolicy: ParisPolicy, Extensions: [51201] }
  - { Alias: bella, DisplayName: Bella Stone, PrimarySmtpAddress: bella@contoso.com, UMMailboxPolicy: BellevuePolicy, Extensions: [51201, 50103] }
  - { Alias: liz, DisplayName: Liz Carter, PrimarySmtpAddress: liz@contoso.com, UMMailboxPolicy: LondonPolicy, Extensions: [1234] }
Contacts:
  - { Alias: bob, DisplayName: Bob Kelly, MobilePhone: "+1 (206) 555-0111", HomePhone: "+14255559999", SIPResourceIdentifier: "sip:bob@fabrikam.com" }
  - { Alias: fabrikam, DisplayName: Fabrikam London, Phone: "020 7946 0018" }
  - { Alias: twin1, DisplayName: First Twin, OtherTelephone: ["+1 360 555 0142"] }
  - { Alias: twin2, DisplayName: Second Twin, Phone: "+13605550142" }
`;
}

function directoryOf(v: Variant = {}): Directory {
  const result = loadConfigurationText(yaml(v), '/etc/openum/caller-names.yaml');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Directory(result.configuration as OpenumConfiguration);
}

const base = directoryOf();

function resolve(caller: string | null, options: { directory?: Directory; mailbox?: string } = {}): CallerNameResolution {
  const directory = options.directory ?? base;
  const mailbox: UMMailbox = directory.findMailbox(options.mailbox ?? 'kim')!;
  const dialPlan: UMDialPlan = directory.dialPlanOfMailbox(mailbox)!;
  return resolveCallerName(directory, { caller, calledMailbox: mailbox, dialPlan });
}

describe('caller-ID → name resolution (spec §5)', () => {
  describe('the same number at several steps: the earliest step wins', () => {
    test('step 3: a UMCallingLineId of ana beats contact bob\'s MobilePhone and kim\'s personal contact', () => {
      const r = resolve('+12065550111');
      expect(r).toMatchObject({ name: 'Ana Trujillo', step: 3, stepName: 'calling-line-ids', matched: { kind: 'mailbox', id: 'ana', attribute: 'UMCallingLineIds', value: '+12065550111' } });
    });

    test('step 5: without ana\'s line id, contact bob\'s MobilePhone (formatted) matches', () => {
      const r = resolve('+12065550111', { directory: directoryOf({ anaHasLineId: false }) });
      expect(r).toMatchObject({ name: 'Bob Kelly', step: 5, stepName: 'directory-phone-attributes', matched: { kind: 'contact', id: 'bob', attribute: 'MobilePhone', value: '+1 (206) 555-0111' } });
    });

    test('step 6: with the heuristic turned off, the called user\'s personal contact (national form) matches', () => {
      const r = resolve('+12065550111', { directory: directoryOf({ anaHasLineId: false, heuristic: false }) });
      expect(r).toMatchObject({ name: 'Bobby (personal)', step: 6, stepName: 'personal-contacts', matched: { kind: 'personal-contact', id: 'kim.PersonalContacts[0]', attribute: 'MobilePhone' } });
      expect(r.trace).toContain('step 5 directory-phone-attributes: skipped: AllowHeuristicADCallingLineIdResolution is false in Redmond');
    });

    test('step 7: nobody left; no name, the number is shown', () => {
      const r = resolve('+1 (206) 555-0111', { directory: directoryOf({ anaHasLineId: false, heuristic: false, personalContact: false }) });
      expect(r).toMatchObject({ name: undefined, step: 7, stepName: 'no-match', shown: '+12065550111' });
      expect(r.matched).toBeUndefined();
      // Every step is consulted in order; step 2 writes one line per other dial plan.
      expect([...new Set(r.trace.map((l) => l.split(':')[0]))]).toEqual(CALLER_NAME_STEPS.map((name, i) => `step ${i} ${name}`));
      expect(r.trace.filter((l) => l.startsWith('step 2 '))).toHaveLength(3);
    });

    test('step 6 is the called user\'s own contacts only: another mailbox falls to step 7', () => {
      const r = resolve('+12065550111', { directory: directoryOf({ anaHasLineId: false, heuristic: false }), mailbox: 'ana' });
      expect(r.step).toBe(7);
    });

    test('step 4: david\'s LineURI (;ext= stripped) beats contact bob\'s HomePhone', () => {
      const r = resolve('tel:+14255559999;ext=123');
      expect(r).toMatchObject({ name: 'David Hamilton', step: 4, stepName: 'line-uri', matched: { id: 'david', attribute: 'LineURI', value: 'tel:+14255559999;ext=59999' } });
    });

    test('step 3 before step 5 for users too: ana\'s line id beats david\'s Phone', () => {
      expect(resolve('+14255550177')).toMatchObject({ step: 3, matched: { id: 'ana' } });
    });
  });

  describe('steps 1 and 2: EUM proxy addresses', () => {
    test('step 1: an extension of the current dial plan, before the same extension elsewhere and a personal contact', () => {
      const r = resolve('50103');
      expect(r).toMatchObject({ name: 'Ana Trujillo', step: 1, stepName: 'eum-current-dial-plan', matched: { kind: 'mailbox', id: 'ana', attribute: 'EUM', value: 'EUM:50103;phone-context=Redmond.contoso.com' } });
    });

    test('step 1: a full number that NumberingPlanFormats maps to an extension matches by its last digits', () => {
      // +14255550103 is also kim's personal contact's HomePhone: the EUM proxy comes first.
      const r = resolve('+14255550103');
      expect(r).toMatchObject({ step: 1, matched: { id: 'ana', attribute: 'EUM' } });
      expect(r.trace[1]).toContain('+14255550xxx');
      // The national form of the same number maps too.
      expect(resolve('14255550103')).toMatchObject({ step: 1, matched: { id: 'ana' } });
    });

    test('no suffix match when NumberingPlanFormats does not map the number', () => {
      // Ends in 50103, but +1425556xxxx is in no mask: not ana.
      const r = resolve('+14255650103');
      expect(r.step).toBe(7);
    });

    test('step 2: an equivalent dial plan is searched before one listed earlier in the configuration', () => {
      expect(resolve('51201')).toMatchObject({ name: 'Bella Stone', step: 2, stepName: 'eum-other-dial-plans', matched: { id: 'bella', value: 'EUM:51201;phone-context=Bellevue.contoso.com' } });
      expect(resolve('51201', { directory: directoryOf({ equivalentBellevue: false }) })).toMatchObject({ name: 'Pierre Martin', step: 2, matched: { id: 'pierre' } });
    });

    test('step 2 applies the other dial plan\'s NumberingPlanFormats', () => {
      const r = resolve('+14255551201');
      expect(r).toMatchObject({ step: 2, matched: { id: 'bella' } });
      // Paris's country code differs, so Paris never maps a +1 number to its extensions.
      expect(resolve('+14255551201', { directory: directoryOf({ equivalentBellevue: false }) })).toMatchObject({ step: 2, matched: { id: 'bella' } });
    });

    test('the extension suffix is tried only when the country code equals the dial plan\'s', () => {
      expect(resolve('+442079461234', { mailbox: 'liz' })).toMatchObject({ step: 1, matched: { id: 'liz', value: 'EUM:1234;phone-context=London.contoso.com' } });
      // From Redmond, London is another dial plan: its own country code and mask apply there.
      expect(resolve('+442079461234')).toMatchObject({ step: 2, matched: { id: 'liz' } });
      expect(resolve('+332079461234')).toMatchObject({ step: 7 });
    });
  });

  describe('number normalisation', () => {
    test('national form: a caller in E.164 matches a directory number written nationally, in the same country only', () => {
      expect(resolve('+44 20 7946 0018', { mailbox: 'liz' })).toMatchObject({ step: 5, matched: { id: 'fabrikam', attribute: 'Phone', value: '020 7946 0018' } });
      // In Redmond (country code 1) the national form is not tried, so nothing matches.
      expect(resolve('+442079460018')).toMatchObject({ step: 7, shown: '+442079460018' });
    });

    test('a caller in national form matches directory numbers in E.164', () => {
      expect(resolve('1 (206) 555-0111')).toMatchObject({ step: 3, matched: { id: 'ana' } });
      expect(resolve('02079460018', { mailbox: 'liz' })).toMatchObject({ step: 5, matched: { id: 'fabrikam' } });
    });

    test('tel: and sip: forms with parameters compare as the bare number', () => {
      for (const caller of ['tel:+12065550111;phone-context=+1', 'sip:+12065550111@gw.contoso.com;user=phone', '<sip:+1-206-555-0111@gw.contoso.com;user=phone>;tag=a1']) {
        expect(resolve(caller)).toMatchObject({ step: 3, matched: { id: 'ana' } });
      }
    });

    test('several entries with the number: the first in configuration order, and the trace says so', () => {
      const r = resolve('+13605550142');
      expect(r).toMatchObject({ step: 5, name: 'First Twin', matched: { attribute: 'OtherTelephone' } });
      expect(r.trace.find((l) => l.startsWith('step 5 '))).toContain('1 more entry');
    });
  });

  describe('SIP URI callers', () => {
    test('step 0: a SIP URI equal to a user\'s SIPResourceIdentifier, case and parameters ignored, before the personal contact', () => {
      const r = resolve('"Ana" <sip:Ana@CONTOSO.com;transport=tcp>;tag=9');
      expect(r).toMatchObject({ name: 'Ana Trujillo', step: 0, stepName: 'sip-resource-identifier', matched: { kind: 'mailbox', id: 'ana', attribute: 'SIPResourceIdentifier', value: 'ana@contoso.com' } });
      expect(r.trace).toHaveLength(1);
    });

    test('a contact\'s SIPResourceIdentifier answers at step 5, only with the heuristic', () => {
      expect(resolve('sip:bob@fabrikam.com')).toMatchObject({ step: 5, matched: { kind: 'contact', id: 'bob', attribute: 'SIPResourceIdentifier' } });
      expect(resolve('sip:bob@fabrikam.com', { directory: directoryOf({ heuristic: false }) })).toMatchObject({ step: 7, shown: 'sip:bob@fabrikam.com' });
    });

    test('step 6: a personal contact\'s SIP address', () => {
      expect(resolve('sips:carol@fabrikam.com')).toMatchObject({ name: 'Carol (personal)', step: 6, matched: { kind: 'personal-contact', id: 'kim.PersonalContacts[2]', attribute: 'SIP', value: 'carol@fabrikam.com' } });
    });

    test('an unknown SIP URI is shown as is, number steps skipped', () => {
      const r = resolve('sip:nobody@example.org');
      expect(r).toMatchObject({ name: undefined, step: 7, shown: 'sip:nobody@example.org' });
      expect(r.trace[1]).toContain('not a telephone number');
    });
  });

  describe('anonymous callers', () => {
    test.each([[null], [''], ['anonymous'], ['sip:anonymous@anonymous.invalid'], ['"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1']])('%p → step 7 without a name or a number', (caller) => {
      const r = resolve(caller);
      expect(r).toMatchObject({ name: undefined, step: 7, stepName: 'no-match', shown: undefined });
      expect(r.matched).toBeUndefined();
    });
  });

  test('indexes are per Directory: two directories from different configurations answer differently', () => {
    const other = directoryOf({ anaHasLineId: false });
    expect(resolve('+12065550111').step).toBe(3);
    expect(resolve('+12065550111', { directory: other }).step).toBe(5);
    expect(resolve('+12065550111').step).toBe(3);
  });
});

describe('phone numbers for caller-ID matching', () => {
  const redmond = { CountryOrRegionCode: '1', NationalNumberPrefix: '1', NumberOfDigitsInExtension: 5, NumberingPlanFormats: ['+14255550xxx'] };
  const london = { CountryOrRegionCode: '44', NationalNumberPrefix: '0', NumberOfDigitsInExtension: 4, NumberingPlanFormats: ['207946xxxx*'] };

  test('normalizePhoneNumber strips formatting, schemes and parameters and keeps the +', () => {
    expect(normalizePhoneNumber('+1 (425) 555-0101')).toBe('+14255550101');
    expect(normalizePhoneNumber('tel:+14255550101;ext=50101')).toBe('+14255550101');
    expect(normalizePhoneNumber('sip:4255550101@gw;user=phone')).toBe('4255550101');
    expect(normalizePhoneNumber('020/7946.0018')).toBe('02079460018');
    expect(normalizePhoneNumber('kim@contoso.com')).toBeUndefined();
  });

  test('parseCallerIdentity', () => {
    expect(parseCallerIdentity('sip:Kim@Contoso.com;transport=tls')).toEqual({ anonymous: false, sipUri: 'kim@contoso.com' });
    expect(parseCallerIdentity('tel:+14255550101')).toEqual({ anonymous: false, number: '+14255550101' });
    expect(parseCallerIdentity('sip:+14255550101@gw;user=phone')).toEqual({ anonymous: false, sipUri: '+14255550101@gw', number: '+14255550101' });
    expect(parseCallerIdentity(null)).toEqual({ anonymous: true });
    expect(parseCallerIdentity('Restricted')).toEqual({ anonymous: true });
  });

  test('numberMaskMatches: literal digits and +, x, a trailing *', () => {
    expect(numberMaskMatches('+14255550xxx', '+14255550103')).toBe(true);
    expect(numberMaskMatches('+14255550xxx', '+1425555010')).toBe(false);
    expect(numberMaskMatches('+14255550xxx', '14255550103x')).toBe(false);
    expect(numberMaskMatches('207946*', '2079460018')).toBe(true);
    expect(numberMaskMatches('207946*', '20794')).toBe(false);
  });

  test('toE164: national numbers get the country code, extensions and unknown forms none', () => {
    expect(toE164('+442079460018', london)).toBe('+442079460018');
    expect(toE164('02079460018', london)).toBe('+442079460018');
    expect(toE164('0123', london)).toBeUndefined();
    expect(toE164('2079460018', london)).toBeUndefined();
  });

  test('numberForms: national and extension forms only in the same country', () => {
    expect(numberForms('+14255550103', '+14255550103', redmond)).toEqual({ e164: '+14255550103', national: '14255550103', extension: '50103', extensionMask: '+14255550xxx' });
    expect(numberForms('+442079460018', '+442079460018', redmond)).toEqual({ e164: '+442079460018' });
    // A mask without + is compared with the national significant forms (here: the number as received).
    expect(numberForms('2079460018', undefined, london)).toEqual({ raw: '2079460018', extension: '0018', extensionMask: '207946xxxx*' });
  });
});
