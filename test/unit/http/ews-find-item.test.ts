import { encodeEwsId } from '../../../src/http/ews/index.js';
import type { XmlElement } from '../../../src/http/xml/index.js';
import { all, callEws, ewsServer, path, soap, servedBackend } from './ews-test-kit.js';


const fixture = servedBackend((backend) => ewsServer(backend));

const KIM_OLDER = encodeEwsId('item', '0b6f1c9e-0000-4000-8000-000000000001');
const KIM_NEWER = encodeEwsId('item', '0b6f1c9e-0000-4000-8000-000000000002');

function findItem(options: { shape?: string; view?: string; folders?: string; extra?: string; additional?: string } = {}): string {
  return soap(
    `<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>${options.shape ?? 'Default'}</t:BaseShape>${options.additional ?? ''}</m:ItemShape>` +
      `${options.view ?? ''}${options.extra ?? ''}<m:ParentFolderIds>${options.folders ?? '<t:DistinguishedFolderId Id="voicemail"/>'}</m:ParentFolderIds></m:FindItem>`,
  );
}

async function find(body: string, alias = 'kim'): Promise<XmlElement[]> {
  const { status, response } = await callEws(fixture.server, body, alias);
  expect(status).toBe(200);
  expect(response.localName).toBe('FindItemResponse');
  return all(path(response, 'ResponseMessages'), 'FindItemResponseMessage');
}

async function findOne(body: string, alias = 'kim'): Promise<XmlElement> {
  const [message] = await find(body, alias);
  if (message === undefined) throw new Error('no response message');
  return message;
}

function ids(message: XmlElement): string[] {
  return all(path(message, 'RootFolder', 'Items'), 'Message').map((item) => path(item, 'ItemId').attributes.get('Id') ?? '');
}

function errorOf(message: XmlElement): { code: string; text: string; link: string } {
  expect(message.attributes.get('ResponseClass')).toBe('Error');
  return { code: path(message, 'ResponseCode').text, text: path(message, 'MessageText').text, link: path(message, 'DescriptiveLinkKey').text };
}

describe('EWS FindItem on the voicemail folder', () => {
  it('lists only the user\'s own messages, newest first, each with ItemId and ChangeKey', async () => {
    const message = await findOne(findItem());
    expect(message.attributes.get('ResponseClass')).toBe('Success');
    expect(path(message, 'ResponseCode').text).toBe('NoError');
    expect(ids(message)).toEqual([KIM_NEWER, KIM_OLDER]);
    const root = path(message, 'RootFolder');
    expect(root.attributes.get('TotalItemsInView')).toBe('2');
    expect(root.attributes.get('IncludesLastItemInRange')).toBe('true');
    for (const item of all(path(root, 'Items'), 'Message')) expect(path(item, 'ItemId').attributes.get('ChangeKey')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(ids(await findOne(findItem(), 'lee'))).toEqual([encodeEwsId('item', '0b6f1c9e-0000-4000-8000-0000000000ee')]);
  });

  it('honours BaseShape IdOnly: nothing but the ItemId', async () => {
    const message = await findOne(findItem({ shape: 'IdOnly' }));
    for (const item of all(path(message, 'RootFolder', 'Items'), 'Message')) expect(item.children.map((child) => child.localName)).toEqual(['ItemId']);
  });

  it.each([['Default'], ['AllProperties']])('honours BaseShape %s: the summary properties, no body or attachments', async (shape) => {
    const [newer] = all(path(await findOne(findItem({ shape })), 'RootFolder', 'Items'), 'Message');
    const names = newer!.children.map((child) => child.localName);
    expect(names).toEqual(expect.arrayContaining(['ItemId', 'ItemClass', 'Subject', 'DateTimeReceived', 'Size', 'HasAttachments', 'From', 'IsRead']));
    expect(names).not.toContain('Attachments');
    expect(names).not.toContain('Body');
    expect(path(newer!, 'ItemClass').text).toBe('IPM.Note.Microsoft.Voicemail.UM.CA');
    expect(path(newer!, 'Subject').text).toBe('Voice Mail from Anonymous (3 seconds)');
    expect(path(newer!, 'DateTimeReceived').text).toBe('2026-11-26T08:00:00Z');
    expect(path(newer!, 'IsRead').text).toBe('true');
    expect(path(newer!, 'From', 'Mailbox', 'Name').text).toBe('Anonymous');
  });

  it('adds AdditionalProperties to IdOnly, including the voice-message MAPI properties', async () => {
    const additional = '<t:AdditionalProperties><t:FieldURI FieldURI="item:Subject"/><t:ExtendedFieldURI PropertyTag="0x6801" PropertyType="Integer"/><t:ExtendedFieldURI PropertyTag="26626" PropertyType="String"/><t:FieldURI FieldURI="item:Attachments"/></t:AdditionalProperties>';
    const [newer, older] = all(path(await findOne(findItem({ shape: 'IdOnly', additional })), 'RootFolder', 'Items'), 'Message');
    expect(older!.children.map((child) => child.localName)).toEqual(['ItemId', 'Subject', 'ExtendedProperty', 'ExtendedProperty']);
    const [duration, number] = all(older!, 'ExtendedProperty');
    expect(path(duration!, 'ExtendedFieldURI').attributes.get('PropertyTag')).toBe('0x6801');
    expect(path(duration!, 'Value').text).toBe('12');
    expect(path(number!, 'Value').text).toBe('+14255550100');
    // The anonymous message has no caller number: the property is left out, not sent empty.
    expect(all(newer!, 'ExtendedProperty')).toHaveLength(1);
  });

  it('pages with IndexedPageItemView Offset and MaxEntriesReturned', async () => {
    const first = await findOne(findItem({ view: '<m:IndexedPageItemView MaxEntriesReturned="1" Offset="0" BasePoint="Beginning"/>' }));
    expect(ids(first)).toEqual([KIM_NEWER]);
    expect(path(first, 'RootFolder').attributes.get('IndexedPagingOffset')).toBe('1');
    expect(path(first, 'RootFolder').attributes.get('IncludesLastItemInRange')).toBe('false');
    const second = await findOne(findItem({ view: '<m:IndexedPageItemView MaxEntriesReturned="1" Offset="1" BasePoint="Beginning"/>' }));
    expect(ids(second)).toEqual([KIM_OLDER]);
    expect(path(second, 'RootFolder').attributes.get('IncludesLastItemInRange')).toBe('true');
    const beyond = await findOne(findItem({ view: '<m:IndexedPageItemView MaxEntriesReturned="5" Offset="7" BasePoint="Beginning"/>' }));
    expect(ids(beyond)).toEqual([]);
    expect(path(beyond, 'RootFolder').attributes.get('TotalItemsInView')).toBe('2');
  });

  it('pages from the end with BasePoint End', async () => {
    const last = await findOne(findItem({ view: '<m:IndexedPageItemView MaxEntriesReturned="1" Offset="0" BasePoint="End"/>' }));
    expect(ids(last)).toEqual([KIM_OLDER]);
  });

  it('returns oldest first when SortOrder asks for DateTimeReceived ascending', async () => {
    const extra = '<m:SortOrder><t:FieldOrder Order="Ascending"><t:FieldURI FieldURI="item:DateTimeReceived"/></t:FieldOrder></m:SortOrder>';
    expect(ids(await findOne(findItem({ extra })))).toEqual([KIM_OLDER, KIM_NEWER]);
  });

  it.each([
    ['a negative Offset', '<m:IndexedPageItemView MaxEntriesReturned="1" Offset="-1" BasePoint="Beginning"/>'],
    ['a zero MaxEntriesReturned', '<m:IndexedPageItemView MaxEntriesReturned="0" Offset="0" BasePoint="Beginning"/>'],
    ['an unknown BasePoint', '<m:IndexedPageItemView Offset="0" BasePoint="Middle"/>'],
  ])('faults on %s', async (_name, view) => {
    const { status, response } = await callEws(fixture.server, findItem({ view }));
    expect(status).toBe(500);
    expect(response.localName).toBe('Fault');
  });

  it('faults on an unknown BaseShape', async () => {
    expect((await callEws(fixture.server, findItem({ shape: 'Everything' }))).status).toBe(500);
  });

  it.each([
    ['another distinguished folder', '<t:DistinguishedFolderId Id="inbox"/>', 'ErrorFolderNotFound'],
    ['another user\'s voicemail folder', '<t:DistinguishedFolderId Id="voicemail"><t:Mailbox><t:EmailAddress>lee@contoso.com</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>', 'ErrorFolderNotFound'],
    ['an unknown mailbox', '<t:DistinguishedFolderId Id="voicemail"><t:Mailbox><t:EmailAddress>ghost@contoso.com</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>', 'ErrorFolderNotFound'],
    ['a FolderId', '<t:FolderId Id="AAMkAGI2"/>', 'ErrorInvalidIdMalformed'],
  ])('answers %s with an error message', async (_name, folders, code) => {
    const error = errorOf(await findOne(findItem({ folders })));
    expect(error.code).toBe(code);
    expect(error.text.length).toBeGreaterThan(0);
    expect(error.link).toBe('0');
  });

  it('serves the voicemail folder named with the user\'s own mailbox', async () => {
    const folders = '<t:DistinguishedFolderId Id="voicemail"><t:Mailbox><t:EmailAddress>KIM@contoso.com</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>';
    expect(ids(await findOne(findItem({ folders })))).toEqual([KIM_NEWER, KIM_OLDER]);
  });

  it('answers each parent folder with its own response message', async () => {
    const messages = await find(findItem({ folders: '<t:DistinguishedFolderId Id="voicemail"/><t:DistinguishedFolderId Id="inbox"/>' }));
    expect(messages.map((message) => message.attributes.get('ResponseClass'))).toEqual(['Success', 'Error']);
  });

  it('refuses a Restriction rather than ignoring it', async () => {
    const extra = '<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="message:IsRead"/><t:FieldURIOrConstant><t:Constant Value="false"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>';
    expect(errorOf(await findOne(findItem({ extra }))).code).toBe('ErrorUnsupportedQueryFilter');
  });

  it('answers an unexpected fixture.backend failure with ErrorInternalServerError, not a crash', async () => {
    fixture.backend.failListing = true;
    try {
      expect(errorOf(await findOne(findItem())).code).toBe('ErrorInternalServerError');
    } finally {
      fixture.backend.failListing = false;
    }
  });
});
