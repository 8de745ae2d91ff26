import { encodeEwsId, RESPONSE_CODE_OF_REFUSAL } from '../../../src/http/ews/index.js';
import type { UmRefusal } from '../../../src/http/um-backend.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import { all, callEws, ewsServer, path, soap, servedBackend } from './ews-test-kit.js';


const fixture = servedBackend((backend) => ewsServer(backend));

const KIM_MESSAGE = encodeEwsId('item', '0b6f1c9e-0000-4000-8000-000000000001');
const LEE_MESSAGE = encodeEwsId('item', '0b6f1c9e-0000-4000-8000-0000000000ee');

async function call(operation: string, alias = 'kim'): Promise<XmlElement> {
  const { status, response } = await callEws(fixture.server, soap(operation), alias);
  expect(status).toBe(200);
  return response;
}

function playOnPhone(itemId: string, dialString: string): string {
  return `<m:PlayOnPhone><m:ItemId Id="${itemId}"/><m:DialString>${dialString}</m:DialString></m:PlayOnPhone>`;
}

function expectError(response: XmlElement, code: string): void {
  expect(response.attributes.get('ResponseClass')).toBe('Error');
  expect(path(response, 'ResponseCode').text).toBe(code);
  expect(path(response, 'MessageText').text.length).toBeGreaterThan(0);
  expect(path(response, 'DescriptiveLinkKey').text).toBe('0');
}

describe('EWS PlayOnPhone', () => {
  it('starts a call for the user\'s message and returns its PhoneCallId', async () => {
    const response = await call(playOnPhone(KIM_MESSAGE, '+14255550199'));
    expect(response.localName).toBe('PlayOnPhoneResponse');
    expect(response.attributes.get('ResponseClass')).toBe('Success');
    expect(path(response, 'ResponseCode').text).toBe('NoError');
    const phoneCallId = path(response, 'PhoneCallId').attributes.get('Id');
    expect(phoneCallId).toBeDefined();
    expect(fixture.backend.calls.get(phoneCallId!)).toMatchObject({ alias: 'kim', messageId: '0b6f1c9e-0000-4000-8000-000000000001', dialString: '+14255550199' });
  });

  it('passes the dial string exactly as sent (leading zeros, no number parsing)', async () => {
    const response = await call(playOnPhone(KIM_MESSAGE, ' 0014255550199 '));
    const phoneCallId = path(response, 'PhoneCallId').attributes.get('Id')!;
    expect(fixture.backend.calls.get(phoneCallId)?.dialString).toBe('0014255550199');
  });

  it.each(Object.entries(RESPONSE_CODE_OF_REFUSAL) as Array<[UmRefusal, string]>)('maps the fixture.backend refusal %s to %s', async (refusal, code) => {
    const dialString = `refuse-${refusal}`;
    fixture.backend.refusals.set(dialString, refusal);
    expectError(await call(playOnPhone(KIM_MESSAGE, dialString)), code);
  });

  it('answers another user\'s message with ErrorItemNotFound', async () => {
    expectError(await call(playOnPhone(LEE_MESSAGE, '+14255550199')), 'ErrorItemNotFound');
  });

  it('answers a user without Play on Phone with ErrorUserNotUnifiedMessagingEnabled', async () => {
    fixture.backend.playOnPhoneEnabled.set('kim', false);
    try {
      expectError(await call(playOnPhone(KIM_MESSAGE, '+14255550199')), 'ErrorUserNotUnifiedMessagingEnabled');
    } finally {
      fixture.backend.playOnPhoneEnabled.delete('kim');
    }
  });

  it.each([
    ['DialString', `<m:PlayOnPhone><m:ItemId Id="${KIM_MESSAGE}"/></m:PlayOnPhone>`],
    ['ItemId', '<m:PlayOnPhone><m:DialString>123</m:DialString></m:PlayOnPhone>'],
    ['the Id attribute', '<m:PlayOnPhone><m:ItemId/><m:DialString>123</m:DialString></m:PlayOnPhone>'],
  ])('faults when %s is missing', async (_name, operation) => {
    expect((await callEws(fixture.server, soap(operation))).status).toBe(500);
  });
});

describe('EWS GetPhoneCallInformation and DisconnectPhoneCall', () => {
  async function startCall(): Promise<string> {
    return path(await call(playOnPhone(KIM_MESSAGE, '+14255550199')), 'PhoneCallId').attributes.get('Id')!;
  }

  it('reports state and failure cause, and the SIP response only when there was one', async () => {
    const id = await startCall();
    let response = await call(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${id}"/></m:GetPhoneCallInformation>`);
    expect(response.localName).toBe('GetPhoneCallInformationResponse');
    let info = path(response, 'PhoneCallInformation');
    expect(info.children.map((child) => child.localName)).toEqual(['PhoneCallState', 'ConnectionFailureCause']);
    expect(path(info, 'PhoneCallState').text).toBe('Connecting');

    fixture.backend.calls.get(id)!.info = { state: 'Disconnected', failureCause: 'UserBusy', sipResponseCode: 486, sipResponseText: 'Busy Here' };
    response = await call(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${id}"/></m:GetPhoneCallInformation>`);
    info = path(response, 'PhoneCallInformation');
    expect(info.children.map((child) => child.localName)).toEqual(['PhoneCallState', 'ConnectionFailureCause', 'SIPResponseText', 'SIPResponseCode']);
    expect(path(info, 'ConnectionFailureCause').text).toBe('UserBusy');
    expect(path(info, 'SIPResponseCode').text).toBe('486');
    expect(path(info, 'SIPResponseText').text).toBe('Busy Here');
  });

  it('answers another user\'s or an unknown call id with ErrorInvalidPhoneCallId', async () => {
    const id = await startCall();
    expectError(await call(`<m:GetPhoneCallInformation><m:PhoneCallId Id="${id}"/></m:GetPhoneCallInformation>`, 'lee'), 'ErrorInvalidPhoneCallId');
    expectError(await call('<m:GetPhoneCallInformation><m:PhoneCallId Id="call-nope"/></m:GetPhoneCallInformation>'), 'ErrorInvalidPhoneCallId');
    expectError(await call(`<m:DisconnectPhoneCall><m:PhoneCallId Id="${id}"/></m:DisconnectPhoneCall>`, 'lee'), 'ErrorInvalidPhoneCallId');
    expect(fixture.backend.calls.get(id)?.info.state).toBe('Connecting');
  });

  it('disconnects the user\'s call', async () => {
    const id = await startCall();
    const response = await call(`<m:DisconnectPhoneCall><m:PhoneCallId Id="${id}"/></m:DisconnectPhoneCall>`);
    expect(response.localName).toBe('DisconnectPhoneCallResponse');
    expect(response.attributes.get('ResponseClass')).toBe('Success');
    expect(path(response, 'ResponseCode').text).toBe('NoError');
    expect(fixture.backend.calls.get(id)?.info.state).toBe('Disconnected');
  });
});

describe('EWS GetServiceConfiguration', () => {
  const request = (names: string[]): string =>
    `<m:GetServiceConfiguration><m:RequestedConfiguration>${names.map((name) => `<m:ConfigurationName>${name}</m:ConfigurationName>`).join('')}</m:RequestedConfiguration></m:GetServiceConfiguration>`;

  it('returns UnifiedMessagingConfiguration for the user', async () => {
    const response = await call(request(['UnifiedMessagingConfiguration']));
    expect(response.attributes.get('ResponseClass')).toBe('Success');
    const [message] = all(path(response, 'ResponseMessages'), 'ServiceConfigurationResponseMessageType');
    const configuration = path(message!, 'UnifiedMessagingConfiguration');
    expect(configuration.children.map((child) => `${child.localName}=${child.text}`)).toEqual(['UmEnabled=true', 'PlayOnPhoneDialString=+14255550123', 'PlayOnPhoneEnabled=true']);
  });

  it('answers the UM part when other configurations are asked for too', async () => {
    const response = await call(request(['MailTips', 'UnifiedMessagingConfiguration']));
    const messages = all(path(response, 'ResponseMessages'), 'ServiceConfigurationResponseMessageType');
    expect(messages.map((message) => message.attributes.get('ResponseClass'))).toEqual(['Error', 'Success']);
    expect(path(messages[0]!, 'ResponseCode').text).toBe('ErrorInvalidOperation');
  });

  it('faults on a configuration name outside the schema', async () => {
    expect((await callEws(fixture.server, soap(request(['UUnifiedMessagingConfiguration'])))).status).toBe(500);
  });
});
