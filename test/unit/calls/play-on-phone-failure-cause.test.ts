import { failureCauseFor, isGatewayFault } from '../../../src/calls/play-on-phone/index.js';

describe('Play on Phone failure cause (spec §8)', () => {
  test.each([
    [486, 'UserBusy'], [600, 'UserBusy'],
    [408, 'NoAnswer'], [480, 'NoAnswer'],
    [404, 'Unavailable'], [410, 'Unavailable'], [484, 'Unavailable'], [503, 'Unavailable'], [604, 'Unavailable'],
    [403, 'Other'], [487, 'Other'], [488, 'Other'], [500, 'Other'], [603, 'Other'], [302, 'Other'],
  ])('%i → %s', (status, cause) => {
    expect(failureCauseFor(status, false)).toBe(cause);
  });

  test('our own no-answer timeout is NoAnswer whatever the status it produced (487 after CANCEL, 408)', () => {
    expect(failureCauseFor(487, true)).toBe('NoAnswer');
    expect(failureCauseFor(408, true)).toBe('NoAnswer');
  });
});

describe('which failures try the next outcall gateway', () => {
  test('a transport error or 503 always does, even after ringing', () => {
    expect(isGatewayFault({ statusCode: 503, noAnswer: false, sawProvisional: false })).toBe(true);
    expect(isGatewayFault({ statusCode: 503, noAnswer: false, sawProvisional: true })).toBe(true);
  });

  test('a gateway that never replied (Timer B 408, or our timeout with nothing heard) does', () => {
    expect(isGatewayFault({ statusCode: 408, noAnswer: false, sawProvisional: false })).toBe(true);
    expect(isGatewayFault({ statusCode: 408, noAnswer: true, sawProvisional: false })).toBe(true);
  });

  test('the called party’s answers and a timeout after ringing do not', () => {
    for (const statusCode of [486, 600, 404, 410, 480, 484, 603, 604, 403]) {
      expect(isGatewayFault({ statusCode, noAnswer: false, sawProvisional: false })).toBe(false);
    }
    expect(isGatewayFault({ statusCode: 487, noAnswer: true, sawProvisional: true })).toBe(false);
    expect(isGatewayFault({ statusCode: 408, noAnswer: false, sawProvisional: true })).toBe(false);
  });
});
