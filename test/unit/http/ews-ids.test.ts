import { changeKeyOf, decodeEwsId, encodeEwsId } from '../../../src/http/ews/ews-ids.js';
import { EwsResponseError } from '../../../src/http/ews/index.js';

function malformedCode(kind: 'item' | 'attachment', id: string | undefined): string | undefined {
  try {
    decodeEwsId(kind, id);
    return undefined;
  } catch (error) {
    return error instanceof EwsResponseError ? error.responseCode : 'other';
  }
}

describe('EWS ids', () => {
  it('round-trips a message id through an opaque base64 item id and attachment id', () => {
    const id = '6f0c7d1e-5b7a-4d55-9f0a-1c2d3e4f5a6b';
    const item = encodeEwsId('item', id);
    expect(item).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(item).not.toContain(id);
    expect(decodeEwsId('item', item)).toBe(id);
    expect(decodeEwsId('attachment', encodeEwsId('attachment', id))).toBe(id);
    expect(encodeEwsId('attachment', id)).not.toBe(item);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['not base64', 'abc$'],
    ['too short', Buffer.from('OU\u0001I', 'latin1').toString('base64')],
    ['a foreign (Exchange) id', 'AAMkADk0N2QwNDE3LTYxNzUtNGE2ZC1iMmFkLWVjNjljNDA0MjU4ZgBGAAAAAAA='],
    ['the other kind', encodeEwsId('attachment', 'x')],
    ['a wrong version', Buffer.from('OU\u0002Ix', 'latin1').toString('base64')],
    ['control characters', encodeEwsId('item', 'a\u0000b')],
    ['invalid UTF-8', Buffer.concat([Buffer.from('OU\u0001I', 'latin1'), Buffer.from([0xff, 0xfe])]).toString('base64')],
    ['over-long', encodeEwsId('item', 'x'.repeat(600))],
  ])('rejects %s with ErrorInvalidIdMalformed', (_name, id) => {
    expect(malformedCode('item', id)).toBe('ErrorInvalidIdMalformed');
  });

  it('changes the ChangeKey when the read state changes, and only then', () => {
    expect(changeKeyOf('m1', false)).toBe(changeKeyOf('m1', false));
    expect(changeKeyOf('m1', true)).not.toBe(changeKeyOf('m1', false));
    expect(changeKeyOf('m2', false)).not.toBe(changeKeyOf('m1', false));
  });
});
