import { pino } from 'pino';
import { canTransition, ConnectionFailureCause, isLive, PhoneCall, PhoneCallState, PlayOnPhoneStateError } from '../../../src/calls/play-on-phone/index.js';

const logger = pino({ level: 'silent' });
const ALL = Object.values(PhoneCallState);

describe('Play on Phone state machine (spec §8)', () => {
  test('it MUST only move forward: Idle → Connecting → Alerted → Connected → Disconnected, with Disconnected reachable from every live state', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => from !== to && canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual([
      'Alerted→Connected', 'Alerted→Disconnected',
      'Connected→Disconnected',
      'Connecting→Alerted', 'Connecting→Connected', 'Connecting→Disconnected',
      'Idle→Connecting', 'Idle→Disconnected',
    ]);
  });

  test('a repeated 18x and a retry while Connecting are no-ops; nothing leaves Disconnected, nothing re-enters Idle', () => {
    expect(canTransition('Alerted', 'Alerted')).toBe(true);
    expect(canTransition('Connecting', 'Connecting')).toBe(true);
    expect(canTransition('Connected', 'Connected')).toBe(false);
    for (const to of ALL) expect(canTransition('Disconnected', to)).toBe(false);
    for (const from of ALL) expect(canTransition(from, 'Idle')).toBe(false);
    expect(canTransition('Alerted', 'Connecting')).toBe(false);
  });

  test('only Disconnected frees the user’s one-call slot', () => {
    expect(ALL.filter(isLive)).toEqual(['Idle', 'Connecting', 'Alerted', 'Connected']);
  });

  test('a PhoneCall refuses an illegal move with OPENUM_POP_INVALID_STATE and keeps its state', () => {
    const call = new PhoneCall('id', 'kim', logger);
    expect(() => call.transition('Connected')).toThrow(PlayOnPhoneStateError);
    try {
      call.transition('Alerted');
    } catch (error) {
      expect((error as PlayOnPhoneStateError).code).toBe('OPENUM_POP_INVALID_STATE');
    }
    expect(call.state).toBe('Idle');
  });

  test('info() reports state, cause and the last SIP response; the first disconnect cause stays', async () => {
    const call = new PhoneCall('id', 'kim', logger);
    expect(call.info()).toEqual({ state: 'Idle', failureCause: 'None' });
    call.transition('Connecting');
    call.recordResponse(180, 'Ringing');
    call.transition('Alerted');
    expect(call.info()).toEqual({ state: 'Alerted', failureCause: 'None', sipResponseCode: 180, sipResponseText: 'Ringing' });
    call.recordResponse(486, 'Busy Here');
    call.disconnect(ConnectionFailureCause.UserBusy, 1234);
    call.disconnect(ConnectionFailureCause.Other, 9999);
    expect(call.info()).toEqual({ state: 'Disconnected', failureCause: 'UserBusy', sipResponseCode: 486, sipResponseText: 'Busy Here' });
    expect(call.endedAt).toBe(1234);
    await expect(call.whenDisconnected()).resolves.toBeUndefined();
  });
});
