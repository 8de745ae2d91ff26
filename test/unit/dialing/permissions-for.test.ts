import { MissingGoverningObjectError, permissionsFor } from '../../../src/dialing/index.js';
import { permissions } from './fixtures.js';

describe('permissionsFor (spec §2.1)', () => {
  const policy = permissions(['Policy']);
  const dialPlan = permissions(['DialPlan']);
  const autoAttendant = permissions(['AA']);

  test('play-on-phone and subscriber use the mailbox policy (the object itself)', () => {
    expect(permissionsFor('play-on-phone', { policy, dialPlan, autoAttendant })).toBe(policy);
    expect(permissionsFor('subscriber', { policy, dialPlan })).toBe(policy);
  });

  test('anonymous callers are governed by the dial plan', () => {
    expect(permissionsFor('anonymous', { policy, dialPlan, autoAttendant })).toBe(dialPlan);
    expect(permissionsFor('anonymous', { dialPlan })).toBe(dialPlan);
  });

  test('auto attendants are governed by the AA alone', () => {
    expect(permissionsFor('auto-attendant', { policy, dialPlan, autoAttendant })).toBe(autoAttendant);
  });

  test.each([
    ['play-on-phone', 'policy'],
    ['subscriber', 'policy'],
    ['auto-attendant', 'autoAttendant'],
  ] as const)('%s without its governing object throws MissingGoverningObjectError', (scenario, need) => {
    let caught: unknown;
    try {
      permissionsFor(scenario, { dialPlan });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MissingGoverningObjectError);
    expect((caught as MissingGoverningObjectError).code).toBe('OPENUM_DIALING_MISSING_GOVERNING_OBJECT');
    expect((caught as MissingGoverningObjectError).need).toBe(need);
    expect((caught as MissingGoverningObjectError).scenario).toBe(scenario);
  });
});
