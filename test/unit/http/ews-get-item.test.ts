import { rm } from 'node:fs/promises';
import { encodeEwsId } from '../../../src/http/ews/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import { all, callEws, ewsServer, path, soap, servedBackend } from './ews-test-kit.js';


const fixture = servedBackend((backend) => ewsServer(backend));

const KIM_OLDER = '0b6f1c9e-0000-4000-8000-000000000001';
const KIM_NEWER = '0b6f1c9e-0000-4000-8000-000000000002';
const LEE_ONLY = '0b6f1c9e-0000-4000-8000-0000000000ee';

function getItem(itemIds: string[], shape = 'Default'): string {
  return soap(`<m:GetItem><m:ItemShape><t:BaseShape>${shape}</t:BaseShape></m:ItemShape><m:ItemIds>${itemIds.map((id) => `<t:ItemId Id="${id}"/>`).join('')}</m:ItemIds></m:GetItem>`);
}

function getAttachment(attachmentIds: string[]): string {
  return soap(`<m:GetAttachment><m:AttachmentIds>${attachmentIds.map((id) => `<t:AttachmentId Id="${id}"/>`).join('')}</m:AttachmentIds></m:GetAttachment>`);
}

async function messages(body: string, operation: 'GetItem' | 'GetAttachment'): Promise<XmlElement[]> {
  const { status, response } = await callEws(fixture.server, body);
  expect(status).toBe(200);
  expect(response.localName).toBe(`${operation}Response`);
  return all(path(response, 'ResponseMessages'), `${operation}ResponseMessage`);
}

function expectError(message: XmlElement | undefined, code: string, container: string): void {
  expect(message?.attributes.get('ResponseClass')).toBe('Error');
  expect(path(message!, 'ResponseCode').text).toBe(code);
  expect(path(message!, 'MessageText').text.length).toBeGreaterThan(0);
  expect(path(message!, 'DescriptiveLinkKey').text).toBe('0');
  expect(path(message!, container).children).toHaveLength(0);
}

describe('EWS GetItem', () => {
  it('returns the user\'s message with its audio attachment metadata', async () => {
    const [message] = await messages(getItem([encodeEwsId('item', KIM_OLDER)]), 'GetItem');
    expect(message?.attributes.get('ResponseClass')).toBe('Success');
    const item = path(message!, 'Items', 'Message');
    expect(path(item, 'ItemId').attributes.get('Id')).toBe(encodeEwsId('item', KIM_OLDER));
    expect(path(item, 'Subject').text).toBe('Voice Mail from Lee Hu (12 seconds)');
    expect(path(item, 'Body').attributes.get('BodyType')).toBe('Text');
    expect(path(item, 'Body').text).toContain('Kim Akers (+14255550100)');
    const attachment = path(item, 'Attachments', 'FileAttachment');
    expect(path(attachment, 'AttachmentId').attributes.get('Id')).toBe(encodeEwsId('attachment', KIM_OLDER));
    expect(path(attachment, 'Name').text).toBe(`Voice Mail from Kim Akers ${KIM_OLDER}.wav`);
    expect(path(attachment, 'ContentType').text).toBe('audio/wav');
    expect(path(attachment, 'Size').text).toBe(String(Buffer.from('older audio').length));
    expect(all(attachment, 'Content')).toHaveLength(0);
  });

  it('honours IdOnly', async () => {
    const [message] = await messages(getItem([encodeEwsId('item', KIM_OLDER)], 'IdOnly'), 'GetItem');
    expect(path(message!, 'Items', 'Message').children.map((child) => child.localName)).toEqual(['ItemId']);
  });

  it('answers another user\'s item id with ErrorItemNotFound, without revealing it', async () => {
    const [message] = await messages(getItem([encodeEwsId('item', LEE_ONLY)]), 'GetItem');
    expectError(message, 'ErrorItemNotFound', 'Items');
  });

  it.each([
    ['garbage', 'not-an-id'],
    ['base64 that is not an openum id', Buffer.from('AAMkAGI2TG93AAA=').toString('base64')],
    ['an attachment id used as an item id', encodeEwsId('attachment', KIM_OLDER)],
    ['a tampered kind byte', Buffer.from(`OU\u0001X${KIM_OLDER}`, 'latin1').toString('base64')],
  ])('answers %s with ErrorInvalidIdMalformed', async (_name, id) => {
    const [message] = await messages(getItem([id]), 'GetItem');
    expectError(message, 'ErrorInvalidIdMalformed', 'Items');
  });

  it('answers each id with its own response message, in request order', async () => {
    const found = await messages(getItem([encodeEwsId('item', KIM_NEWER), encodeEwsId('item', LEE_ONLY), encodeEwsId('item', KIM_OLDER)]), 'GetItem');
    expect(found.map((message) => message.attributes.get('ResponseClass'))).toEqual(['Success', 'Error', 'Success']);
  });

  it('faults when one request names more than 100 items (each costs a lookup and a serialised item)', async () => {
    const ids = Array.from({ length: 101 }, () => '<t:ItemId Id="x"/>').join('');
    const { status, raw } = await callEws(fixture.server, soap(`<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:ItemIds>${ids}</m:ItemIds></m:GetItem>`));
    expect(status).toBe(500);
    expect(raw).toContain('at most 100');
  });

  it('faults when ItemIds is missing', async () => {
    const { status } = await callEws(fixture.server, soap('<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape></m:GetItem>'));
    expect(status).toBe(500);
  });
});

describe('EWS GetAttachment', () => {
  it('returns the audio bytes base64 in t:Content', async () => {
    const [message] = await messages(getAttachment([encodeEwsId('attachment', KIM_NEWER)]), 'GetAttachment');
    expect(message?.attributes.get('ResponseClass')).toBe('Success');
    const attachment = path(message!, 'Attachments', 'FileAttachment');
    expect(Buffer.from(path(attachment, 'Content').text, 'base64')).toEqual(Buffer.from('newer audio'));
    expect(path(attachment, 'Name').text).toBe(`Voice Mail from Kim Akers ${KIM_NEWER}.wav`);
  });

  it('answers another user\'s attachment id with ErrorItemNotFound', async () => {
    const [message] = await messages(getAttachment([encodeEwsId('attachment', LEE_ONLY)]), 'GetAttachment');
    expectError(message, 'ErrorItemNotFound', 'Attachments');
  });

  it('answers an item id used as an attachment id with ErrorInvalidIdMalformed', async () => {
    const [message] = await messages(getAttachment([encodeEwsId('item', KIM_NEWER)]), 'GetAttachment');
    expectError(message, 'ErrorInvalidIdMalformed', 'Attachments');
  });

  it('answers a message whose audio file vanished with ErrorInternalServerError', async () => {
    await fixture.backend.addMessage('kim', { id: 'vanishing', receivedAt: new Date('2020-01-01T00:00:00Z') });
    const audio = await fixture.backend.getVoiceMessageAudio('kim', 'vanishing');
    await rm(audio!.path);
    const [message] = await messages(getAttachment([encodeEwsId('attachment', 'vanishing')]), 'GetAttachment');
    expectError(message, 'ErrorInternalServerError', 'Attachments');
  });
});
