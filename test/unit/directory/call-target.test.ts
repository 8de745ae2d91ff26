import { validateConfigurationFile } from '../../../src/app/index.js';
import type { CallAddress, CallTargetQuery } from '../../../src/directory/index.js';
import { Directory, resolveCallTarget } from '../../../src/directory/index.js';
import { repoPath } from '../../support/paths.js';

const directory = new Directory(validateConfigurationFile(repoPath('examples/contoso/openum.yaml')).configuration!);
const at = (user: string, host = 'contoso.com', phoneContext?: string): CallAddress => (phoneContext === undefined ? { user, host } : { user, host, phoneContext });

function query(partial: Partial<CallTargetQuery>): CallTargetQuery {
  return { requestUri: at('kim'), from: at('+12065550100', 'gw.contoso.com'), diversions: [], historyInfo: [], gatewayDialPlans: ['Redmond'], ...partial };
}

describe('call target resolution (spec §3.1)', () => {
  test('Diversion names the mailbox: call answering for the diverted-from user', () => {
    const t = resolveCallTarget(directory, query({ requestUri: at('+14255550100'), diversions: [at('kim')] }));
    expect(t).toMatchObject({ kind: 'call-answering', via: 'diversion', mailbox: { Alias: 'kim' } });
  });

  test('with several Diversions, the most recent one that resolves wins', () => {
    const t = resolveCallTarget(directory, query({ diversions: [at('nobody'), at('david'), at('kim')] }));
    expect(t).toMatchObject({ kind: 'call-answering', mailbox: { Alias: 'david' } });
  });

  test('Diversion by extension and by SIP URI compare case-insensitively', () => {
    expect(resolveCallTarget(directory, query({ diversions: [at('50102', 'gw')] }))).toMatchObject({ mailbox: { Alias: 'david' } });
    expect(resolveCallTarget(directory, query({ diversions: [at('KIM', 'Contoso.COM')] }))).toMatchObject({ mailbox: { Alias: 'kim' } });
  });

  test('History-Info is used only without Diversion: the entry before the one that targets UM', () => {
    const t = resolveCallTarget(directory, query({ requestUri: at('voicemail', 'um.contoso.com'), historyInfo: [at('ana'), at('david'), at('voicemail', 'um.contoso.com')] }));
    expect(t).toMatchObject({ kind: 'call-answering', via: 'history-info', mailbox: { Alias: 'david' } });
    const withDiversion = resolveCallTarget(directory, query({ diversions: [at('kim')], historyInfo: [at('david'), at('x')] }));
    expect(withDiversion).toMatchObject({ via: 'diversion', mailbox: { Alias: 'kim' } });
  });

  test('the subscriber-access pilot and the auto attendant pilot, in any number formatting', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('+14255550100') }))).toMatchObject({ kind: 'subscriber-access', dialPlan: { Name: 'Redmond' } });
    expect(resolveCallTarget(directory, query({ requestUri: at('14255550199') }))).toMatchObject({ kind: 'auto-attendant', autoAttendant: { Name: 'RedmondMainLine' } });
  });

  test('a pilot is reached only within the dial plans the call may reach', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('+14255550100'), gatewayDialPlans: [] }))).toBeUndefined();
    expect(resolveCallTarget(directory, query({ requestUri: at('+14255550100', 'gw', 'Paris.contoso.com') }))).toBeUndefined();
    expect(resolveCallTarget(directory, query({ requestUri: at('+14255550100', 'gw', 'Redmond.contoso.com'), gatewayDialPlans: [] }))).toMatchObject({ kind: 'subscriber-access' });
  });

  test('caller = target without diversion is subscriber access for that mailbox', () => {
    const t = resolveCallTarget(directory, query({ requestUri: at('kim'), from: at('kim') }));
    expect(t).toMatchObject({ kind: 'subscriber-access', mailbox: { Alias: 'kim' } });
  });

  test('otherwise the Request-URI names the mailbox', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('50103', 'um') }))).toMatchObject({ kind: 'call-answering', via: 'request-uri', mailbox: { Alias: 'ana' } });
  });

  test('a full number maps to an extension through NumberingPlanFormats', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('+14255550104', 'gw') }))).toMatchObject({ mailbox: { Alias: 'ben' } });
  });

  test('a NumberingPlanFormats mask ending in * maps numbers of any length to their last digits', async () => {
    const { loadConfigurationText } = await import('../../../src/config/index.js');
    const c = loadConfigurationText(`UMDialPlans:
  - { Name: DP, NumberOfDigitsInExtension: 5, NumberingPlanFormats: ["+1425555*"] }
UMMailboxPolicies:
  - { Name: P, UMDialPlan: DP }
UMMailboxes:
  - { Alias: zoe, DisplayName: Zoe, PrimarySmtpAddress: zoe@contoso.com, UMMailboxPolicy: P, Extensions: ["50142"] }
`, '/tmp/star.yaml').configuration!;
    const d = new Directory(c);
    expect(resolveCallTarget(d, query({ requestUri: at('+14255550142', 'gw'), gatewayDialPlans: ['DP'] }))).toMatchObject({ mailbox: { Alias: 'zoe' } });
    expect(resolveCallTarget(d, query({ requestUri: at('+12065550142', 'gw'), gatewayDialPlans: ['DP'] }))).toBeUndefined();
  });

  test('phone-context selects the dial plan; an unknown one resolves nothing', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('50101', 'gw', 'redmond.CONTOSO.com'), gatewayDialPlans: [] }))).toMatchObject({ mailbox: { Alias: 'kim' } });
    expect(resolveCallTarget(directory, query({ requestUri: at('50101', 'gw', 'Paris.contoso.com') }))).toBeUndefined();
  });

  test('a mailbox outside the gateway\'s dial plans, or no mailbox at all, is not found (404)', () => {
    expect(resolveCallTarget(directory, query({ requestUri: at('50101', 'gw'), gatewayDialPlans: [] }))).toBeUndefined();
    expect(resolveCallTarget(directory, query({ requestUri: at('59999', 'gw') }))).toBeUndefined();
    expect(resolveCallTarget(directory, query({ requestUri: at('nobody') }))).toBeUndefined();
  });
});

describe('dial subjects (spec §2.1)', () => {
  test('mailbox scenarios are governed by the policy, anonymous by the dial plan, AAs by themselves', () => {
    expect(directory.dialSubject('play-on-phone', 'KIM').governedBy).toEqual({ kind: 'UMMailboxPolicy', name: 'Redmond Default Policy' });
    expect(directory.dialSubject('anonymous', 'redmond').governedBy).toEqual({ kind: 'UMDialPlan', name: 'Redmond' });
    expect(directory.dialSubject('auto-attendant', 'RedmondMainLine').governedBy).toEqual({ kind: 'UMAutoAttendant', name: 'RedmondMainLine' });
  });

  test('unknown subjects throw a typed error', () => {
    expect(() => directory.dialSubject('subscriber', 'nobody')).toThrow(expect.objectContaining({ code: 'OPENUM_DIRECTORY_NOT_FOUND' }));
  });
});
