import { parseDtmfInfo } from '../../../../src/sip/messages/dtmf-info.js';

describe('DTMF in SIP INFO', () => {
  test.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5'],
    ['application/dtmf-relay', 'Signal= #\r\nDuration=250', '#'],
    ['application/dtmf-relay', 'Signal=11\r\nDuration=250', '#'],
    ['application/dtmf-relay', 'signal=*\r\n', '*'],
    ['application/dtmf-relay', 'Signal=10', '*'],
    ['application/dtmf', '7', '7'],
    ['application/dtmf', '11', '#'],
    ['Application/DTMF-Relay; charset=utf-8', 'Signal=a', 'A'],
  ])('%s %j is %s', (contentType, content, digit) => {
    expect(parseDtmfInfo({ contentType, content })).toBe(digit);
  });

  test.each([
    ['application/dtmf-relay', 'Duration=160'],
    ['application/dtmf-relay', 'Signal=X'],
    ['application/dtmf-relay', 'Signal=16'],
    ['application/dtmf', ''],
    ['application/sdp', 'v=0'],
  ])('%s %j carries no digit', (contentType, content) => {
    expect(parseDtmfInfo({ contentType, content })).toBeUndefined();
  });

  test('no body, no digit', () => {
    expect(parseDtmfInfo(undefined)).toBeUndefined();
  });
});
