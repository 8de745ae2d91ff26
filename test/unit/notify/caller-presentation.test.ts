import { presentCaller, UNKNOWN_CALLER_LABEL } from '../../../src/notify/index.js';

describe('presentCaller', () => {
  it('a number: label is the number, link tel: without visual separators', () => {
    expect(presentCaller({ id: 'tel:+1-425-555-0100', isNumber: true })).toEqual({
      kind: 'number',
      label: '+1-425-555-0100',
      name: undefined,
      address: '+1-425-555-0100',
      shownAddress: '+1-425-555-0100',
      dialLink: 'tel:+14255550100',
    });
  });

  it('a SIP URI without scheme gets sip:; the label drops it', () => {
    const p = presentCaller({ id: 'alice@fabrikam.com', isNumber: false, name: 'Alice' });
    expect(p).toMatchObject({ kind: 'sip', label: 'Alice', address: 'sip:alice@fabrikam.com', shownAddress: 'alice@fabrikam.com', dialLink: 'sip:alice@fabrikam.com' });
  });

  it('keeps sips: as given', () => {
    expect(presentCaller({ id: 'sips:bob@fabrikam.com', isNumber: false }).dialLink).toBe('sips:bob@fabrikam.com');
  });

  it('anonymous (null or blank id) is the Unknown caller, with no address or link', () => {
    for (const id of [null, '', '  ']) {
      expect(presentCaller({ id, isNumber: true })).toEqual({
        kind: 'anonymous',
        label: UNKNOWN_CALLER_LABEL,
        name: undefined,
        address: undefined,
        shownAddress: undefined,
        dialLink: undefined,
      });
    }
    expect(UNKNOWN_CALLER_LABEL).toBe('Unknown caller');
  });

  it('a blank name counts as no name', () => {
    expect(presentCaller({ id: '+14255550100', isNumber: true, name: ' \t ' }).label).toBe('+14255550100');
  });
});
