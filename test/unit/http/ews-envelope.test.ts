import { encodeEwsId } from '../../../src/http/ews/index.js';
import { childElement, parseXml } from '../../../src/http/xml/index.js';
import { basic, callEws, ewsServer, M, path, post, SOAP, soap, T, servedBackend } from './ews-test-kit.js';

const FIND_VOICEMAIL = '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="voicemail"/></m:ParentFolderIds></m:FindItem>';


const fixture = servedBackend((backend) => ewsServer(backend));

/** Reads a SOAP fault reply: HTTP status, faultcode text and the EWS code in the detail. */
async function fault(body: string, headers: Record<string, string> = {}): Promise<{ status: number; faultcode: string; code: string; faultstring: string }> {
  const reply = await post(fixture.server, '/EWS/Exchange.asmx', body, { authorization: basic('kim'), ...headers });
  const envelope = parseXml(reply.body);
  const faultElement = childElement(childElement(envelope, SOAP, 'Body') ?? envelope, SOAP, 'Fault');
  if (faultElement === undefined) throw new Error(`not a fault: ${reply.body}`);
  const detail = childElement(faultElement, '', 'detail');
  return {
    status: reply.status,
    faultcode: childElement(faultElement, '', 'faultcode')?.text ?? '',
    faultstring: childElement(faultElement, '', 'faultstring')?.text ?? '',
    code: detail?.children.find((child) => child.localName === 'ResponseCode')?.text ?? '',
  };
}

describe('EWS SOAP envelope', () => {
  it('answers in a SOAP 1.1 envelope with t:ServerVersionInfo in the header, as Exchange 2010 SP1', async () => {
    const { status, envelope, raw } = await callEws(fixture.server, soap(FIND_VOICEMAIL));
    expect(status).toBe(200);
    expect(envelope.namespace).toBe(SOAP);
    const info = childElement(childElement(envelope, SOAP, 'Header')!, T, 'ServerVersionInfo');
    expect(info?.attributes.get('Version')).toBe('Exchange2010_SP1');
    expect(info?.attributes.get('MajorVersion')).toBe('14');
    expect(raw).toContain(`xmlns:m="${M}"`);
    expect(raw).toContain(`xmlns:t="${T}"`);
    expect(raw).toMatch(/<m:FindItemResponse>/);
  });

  it.each([
    ['mes:/typ: prefixes', `<S:Envelope xmlns:S="${SOAP}" xmlns:mes="${M}" xmlns:typ="${T}"><S:Body><mes:FindItem Traversal="Shallow"><mes:ItemShape><typ:BaseShape>IdOnly</typ:BaseShape></mes:ItemShape><mes:ParentFolderIds><typ:DistinguishedFolderId Id="voicemail"/></mes:ParentFolderIds></mes:FindItem></S:Body></S:Envelope>`],
    ['default namespaces', `<Envelope xmlns="${SOAP}"><Body><FindItem xmlns="${M}" Traversal="Shallow"><ItemShape><BaseShape xmlns="${T}">IdOnly</BaseShape></ItemShape><ParentFolderIds><DistinguishedFolderId xmlns="${T}" Id="voicemail"/></ParentFolderIds></FindItem></Body></Envelope>`],
    ['t: on the operation children', soap('<m:FindItem Traversal="Shallow"><t:ItemShape><t:BaseShape>IdOnly</t:BaseShape></t:ItemShape><t:ParentFolderIds><t:DistinguishedFolderId Id="voicemail"/></t:ParentFolderIds></m:FindItem>')],
    ['the https namespaces misprinted in Microsoft examples', `<soap:Envelope xmlns:soap="${SOAP}" xmlns:m="https://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="https://schemas.microsoft.com/exchange/services/2006/types"><soap:Body>${FIND_VOICEMAIL}</soap:Body></soap:Envelope>`],
  ])('reads the request whatever the prefixes: %s', async (_name, body) => {
    const { status, response } = await callEws(fixture.server, body);
    expect(status).toBe(200);
    const message = path(response, 'ResponseMessages', 'FindItemResponseMessage');
    expect(message.attributes.get('ResponseClass')).toBe('Success');
    expect(path(message, 'RootFolder').attributes.get('TotalItemsInView')).toBe('2');
  });

  it.each([
    ['malformed XML', soap('<m:FindItem><m:ItemShape></m:FindItem>'), 'ErrorSchemaValidation'],
    ['an empty body', '', 'ErrorSchemaValidation'],
    ['a DTD (entity expansion)', `<!DOCTYPE x [<!ENTITY a "aaaa">]>${soap(FIND_VOICEMAIL)}`, 'ErrorSchemaValidation'],
    ['an undeclared prefix', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body><m:FindItem/></soap:Body></soap:Envelope>`, 'ErrorSchemaValidation'],
    ['a root that is not an envelope', `<m:FindItem xmlns:m="${M}"/>`, 'ErrorSchemaValidation'],
    ['an envelope without body', `<soap:Envelope xmlns:soap="${SOAP}"><soap:Header/></soap:Envelope>`, 'ErrorSchemaValidation'],
    ['two operations in one body', soap(FIND_VOICEMAIL + FIND_VOICEMAIL), 'ErrorSchemaValidation'],
    ['an unknown operation', soap('<m:CreateItem/>'), 'ErrorInvalidRequest'],
    ['an operation in the types namespace', soap('<t:FindItem/>'), 'ErrorInvalidRequest'],
    ['a missing ItemShape', soap('<m:FindItem><m:ParentFolderIds><t:DistinguishedFolderId Id="voicemail"/></m:ParentFolderIds></m:FindItem>'), 'ErrorSchemaValidation'],
    ['impersonation of another user', soap(FIND_VOICEMAIL, '<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>lee@contoso.com</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>'), 'ErrorImpersonationDenied'],
  ])('answers %s with a SOAP fault (HTTP 500)', async (_name, body, code) => {
    const reply = await fault(body);
    expect(reply.status).toBe(500);
    expect(reply.code).toBe(code);
    expect(reply.faultcode).toBe(`a:${code}`);
    expect(reply.faultstring.length).toBeGreaterThan(0);
  });

  it('answers a SOAP 1.2 envelope with a VersionMismatch fault', async () => {
    const reply = await fault(`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>${FIND_VOICEMAIL.replace('<m:FindItem', `<m:FindItem xmlns:m="${M}" xmlns:t="${T}"`)}</env:Body></env:Envelope>`);
    expect(reply.status).toBe(500);
    expect(reply.faultcode).toBe('s:VersionMismatch');
  });

  it('answers a body above the size limit with a fault, not a crash', async () => {
    const reply = await fault(soap(`${FIND_VOICEMAIL}<!--${'x'.repeat(300 * 1024)}-->`));
    expect(reply.status).toBe(500);
    expect(reply.code).toBe('ErrorInvalidRequest');
  });

  it.each([['application/soap+xml; charset=utf-8'], ['application/xml'], ['text/plain']])('reads the body whatever its Content-Type: %s', async (contentType) => {
    const reply = await post(fixture.server, '/EWS/Exchange.asmx', soap(FIND_VOICEMAIL), { authorization: basic('kim'), 'content-type': contentType });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/xml/);
  });

  it.each([['/ews/exchange.asmx'], ['/EWS/EXCHANGE.ASMX'], ['/Ews/Exchange.asmx']])('serves %s too', async (url) => {
    const { status } = await callEws(fixture.server, soap(FIND_VOICEMAIL), 'kim', url);
    expect(status).toBe(200);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong password', { authorization: basic('kim', 'wrong') }],
    ['an unknown user', { authorization: basic('nobody') }],
  ])('answers %s with 401 and a Basic challenge, without reading the body', async (_name, headers: Record<string, string>) => {
    const reply = await post(fixture.server, '/EWS/Exchange.asmx', 'not even XML', headers);
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Basic realm="openum"');
    expect(reply.body).toBe('');
  });

  it('escapes what it emits: markup in a subject comes back as text, forbidden characters are dropped', async () => {
    await fixture.backend.addMessage('kim', { id: 'escape-test', receivedAt: new Date('2020-01-01T00:00:00Z'), subject: 'a <b> & "c" \'d\' \u0001</m:Subject>', callerName: '<script>' });
    try {
      const body = soap(`<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${encodeEwsId('item', 'escape-test')}"/></m:ItemIds></m:GetItem>`);
      const { raw, response } = await callEws(fixture.server, body);
      const message = path(response, 'ResponseMessages', 'GetItemResponseMessage', 'Items', 'Message');
      expect(path(message, 'Subject').text).toBe('a <b> & "c" \'d\' </m:Subject>');
      expect(path(message, 'From', 'Mailbox', 'Name').text).toBe('<script>');
      expect(raw).not.toContain('<script>');
      expect(raw).not.toContain('\u0001');
    } finally {
      fixture.backend.messages.splice(fixture.backend.messages.findIndex((message) => message.summary.id === 'escape-test'), 1);
    }
  });
});
