import { loadConfigurationText } from '../../../src/config/index.js';
import { validateConfigurationFile } from '../../../src/app/index.js';
import { repoPath } from '../../support/paths.js';

const MINIMAL = `UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 5
    InternationalAccessCode: 011
    CountryOrRegionCode: 1
`;

function load(text: string) {
  return loadConfigurationText(text, '/etc/openum/openum.yaml');
}

describe('loading a configuration', () => {
  test('the bundled Lync 2010 example is valid, with no warnings', () => {
    const result = validateConfigurationFile(repoPath('examples/contoso/openum.yaml'));
    expect(result.diagnostics).toEqual([]);
    expect(result.configuration?.UMMailboxes.length).toBeGreaterThanOrEqual(12);
  });

  test('a ConvertTo-Json shaped export loads unedited (metadata and unused Exchange properties dropped)', () => {
    const result = validateConfigurationFile(repoPath('examples/exchange-export/fabrikam.json'));
    expect(result.diagnostics).toEqual([]);
    const dp = result.configuration!.UMDialPlans[0]!;
    expect(dp.ConfiguredInCountryOrRegionGroups[0]).toEqual({ Name: 'Anywhere', NumberMask: '*', DialedNumber: '*', Comment: 'Lync normalises and routes every number' });
    expect(dp).not.toHaveProperty('Guid');
    expect(dp).not.toHaveProperty('UMServers');
  });

  test('applies Exchange defaults and derives the phone context from the server domain', () => {
    const c = load(MINIMAL).configuration!;
    const dp = c.UMDialPlans[0]!;
    expect(dp.PhoneContext).toBe('Redmond.contoso.com');
    expect(dp.URIType).toBe('TelExtn');
    expect(dp.AudioCodec).toBe('Mp3');
    expect([dp.MaxRecordingDuration, dp.MaxCallDuration, dp.RecordingIdleTimeout]).toEqual([20, 30, 5]);
    expect(dp.AllowExtensions).toBe(false);
    expect(c.Server.Sip.Listen).toEqual(['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060']);
    expect(c.Server.DataDirectory).toBe('/etc/openum/data');
    expect(c.Server.Mail.Directory).toBe('/etc/openum/data/mail');
    expect(c.Server.MaxCallsAllowed).toBe(1000);
  });

  test('keeps leading zeros of unquoted dial codes (YAML would read 011 as 11)', () => {
    const dp = load(MINIMAL).configuration!.UMDialPlans[0]!;
    expect(dp.InternationalAccessCode).toBe('011');
    expect(dp.CountryOrRegionCode).toBe('1');
  });

  test('dialing rule entries: string form with and without comment, commas inside the comment', () => {
    const c = load(`${MINIMAL}    ConfiguredInCountryOrRegionGroups:
      - "Local,9xxxxxxx,9xxxxxxx"
      - "Local,91425xxxxxxx,9xxxxxxx,Redmond, Kirkland and Bellevue"
`).configuration!;
    expect(c.UMDialPlans[0]!.ConfiguredInCountryOrRegionGroups).toEqual([
      { Name: 'Local', NumberMask: '9xxxxxxx', DialedNumber: '9xxxxxxx', Comment: '' },
      { Name: 'Local', NumberMask: '91425xxxxxxx', DialedNumber: '9xxxxxxx', Comment: 'Redmond, Kirkland and Bellevue' },
    ]);
  });

  test('enumerations compare case-insensitively and come back canonical; multi-valued strings split on commas', () => {
    const c = load(`${MINIMAL}    URIType: sipname\n    VoIPSecurity: sipsecured\n    AllowedInCountryOrRegionGroups: "Local, TollFree"\n    ConfiguredInCountryOrRegionGroups: ["Local,9xxxxxxx,9xxxxxxx", "TollFree,91800xxxxxxx,91800xxxxxxx"]\n`);
    const dp = c.configuration!.UMDialPlans[0]!;
    expect([dp.URIType, dp.VoIPSecurity]).toEqual(['SipName', 'SIPSecured']);
    expect(dp.AllowedInCountryOrRegionGroups).toEqual(['Local', 'TollFree']);
  });

  test('reports every schema problem at once with file, line, column and a named property path', () => {
    const result = load(`UMDialPlans:
  - Name: Redmond
    NumberOfDigitsInExtension: 25
    OutsideLineAcessCode: 9
    ConfiguredInCountryOrRegionGroups:
      - "Local,9xxxxxxx,9xxxxxxx"
      - { Name: Local, NumberMask: "9xxxxxxx", DialedNumbr: "9xxxxxxx" }
`);
    expect(result.configuration).toBeUndefined();
    const byCode = Object.fromEntries(result.diagnostics.map((d) => [d.code + (d.path.at(-1) === 'DialedNumber' ? ':req' : ''), d]));
    expect(byCode['E_RANGE']).toMatchObject({ line: 3, property: 'UMDialPlans[Redmond].NumberOfDigitsInExtension', expected: 'at most 20', found: 'number 25' });
    const unknown = result.diagnostics.filter((d) => d.code === 'E_UNKNOWN_KEY');
    expect(unknown.map((d) => [d.property, d.line, d.column])).toEqual([
      ['UMDialPlans[Redmond].OutsideLineAcessCode', 4, 5],
      ['UMDialPlans[Redmond].ConfiguredInCountryOrRegionGroups[1].DialedNumbr', 7, 48],
    ]);
    expect(unknown[0]!.message).toContain('did you mean "OutsideLineAccessCode"');
    expect(byCode['E_REQUIRED:req']?.property).toBe('UMDialPlans[Redmond].ConfiguredInCountryOrRegionGroups[1].DialedNumber');
  });

  test('enum errors suggest the nearest value', () => {
    const d = load(`${MINIMAL}    AudioCodec: Mp4\n`).diagnostics[0]!;
    expect(d.code).toBe('E_ENUM');
    expect(d.message).toContain('"Mp3"');
  });

  test('Server.MainThreadPriority: High by default; Realtime is refused at its line (children and later threads would inherit it)', () => {
    expect(load(MINIMAL).configuration?.Server.MainThreadPriority).toBe('High');
    expect(load(`Server:\n  MainThreadPriority: normal\n${MINIMAL}`).configuration?.Server.MainThreadPriority).toBe('Normal');
    const d = load(`Server:\n  MainThreadPriority: Realtime\n${MINIMAL}`).diagnostics[0]!;
    expect(d).toMatchObject({ code: 'E_ENUM', property: 'Server.MainThreadPriority', line: 2 });
  });

  test('malformed YAML is one E_YAML_SYNTAX with a position, never an exception', () => {
    const result = load('UMDialPlans:\n  - Name: "Redmond\n    NumberOfDigitsInExtension: 5\n');
    expect(result.diagnostics[0]?.code).toBe('E_YAML_SYNTAX');
    expect(result.diagnostics[0]?.line).toBeGreaterThanOrEqual(1);
  });

  test('duplicate keys are a syntax error', () => {
    expect(load('UMDialPlans: []\nUMDialPlans: []\n').diagnostics[0]?.code).toBe('E_YAML_SYNTAX');
  });

  test('a YAML alias bomb is refused without hanging or crashing', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const result = load(`${levels.join('\n')}\nUMDialPlans: []\n`);
    expect(result.configuration).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test('a document that is not a configuration is E_NOT_CONFIG', () => {
    for (const text of ['', 'hello', '42', '- a\n- b\n', 'name: my-app\nversion: 1\n']) {
      expect(load(text).diagnostics.map((d) => d.code)).toEqual(['E_NOT_CONFIG']);
    }
  });

  test('a loaded configuration is deeply frozen', () => {
    const c = load(MINIMAL).configuration!;
    expect(Object.isFrozen(c.UMDialPlans[0]!.ConfiguredInCountryOrRegionGroups)).toBe(true);
    expect(() => {
      (c.Server as { Domain: string }).Domain = 'x';
    }).toThrow(TypeError);
  });

  test('warnings alone leave the configuration usable', () => {
    const result = load(`${MINIMAL}    URIType: SipName
UMIPGateways:
  - { Name: A, Address: 127.0.0.1, UMDialPlans: [Redmond] }
  - { Name: B, Address: 127.0.0.2, UMDialPlans: [Redmond] }
`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['W_MULTIPLE_OUTCALL_GATEWAYS']);
    expect(result.configuration).toBeDefined();
  });
});
