import { capabilityHeaders, inspectRequest } from '../../../../src/sip/core/request-policy.js';

const options = { allowedMethods: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'], supportedOptionTags: ['replaces'], acceptedBodyTypes: ['application/sdp'] };
const base = { method: 'INVITE', required: [] as string[], inDialog: false, targetExists: true };

describe('inspectRequest (RFC 3261 §8.2)', () => {
  it('it MUST answer 405 with Allow to a method it does not support (§8.2.1)', () => {
    const d = inspectRequest({ ...base, method: 'UPDATE' }, options);
    expect(d).toEqual({ kind: 'reply', statusCode: 405, reasonPhrase: 'Method Not Allowed', extraHeaders: ['Allow: INVITE, ACK, BYE, CANCEL, OPTIONS'] });
  });

  it('it MUST answer 420 listing the unsupported option tags in Unsupported (§8.2.2.3)', () => {
    const d = inspectRequest({ ...base, required: ['timer', 'replaces', '100rel'] }, options);
    expect(d).toEqual({ kind: 'reply', statusCode: 420, reasonPhrase: 'Bad Extension', extraHeaders: ['Unsupported: timer, 100rel'] });
  });

  it('it MUST NOT apply Require to ACK or CANCEL', () => {
    expect(inspectRequest({ ...base, method: 'ACK', required: ['timer'] }, options)).toEqual({ kind: 'pass' });
    expect(inspectRequest({ ...base, method: 'CANCEL', required: ['timer'] }, options)).toEqual({ kind: 'pass' });
  });

  it('answers out-of-dialog OPTIONS 200 with Allow, Accept and Supported (§11.2)', () => {
    const d = inspectRequest({ ...base, method: 'OPTIONS' }, options);
    expect(d).toEqual({ kind: 'reply', statusCode: 200, reasonPhrase: 'OK', extraHeaders: capabilityHeaders(options) });
    expect(capabilityHeaders(options)).toEqual(['Allow: INVITE, ACK, BYE, CANCEL, OPTIONS', 'Accept: application/sdp', 'Supported: replaces']);
  });

  it('answers OPTIONS for an unknown target 404, as an INVITE would get', () => {
    expect(inspectRequest({ ...base, method: 'OPTIONS', targetExists: false }, options)).toMatchObject({ statusCode: 404 });
  });

  it('leaves in-dialog OPTIONS and ordinary INVITEs to the core', () => {
    expect(inspectRequest({ ...base, method: 'OPTIONS', inDialog: true }, options)).toEqual({ kind: 'pass' });
    expect(inspectRequest(base, options)).toEqual({ kind: 'pass' });
  });
});
