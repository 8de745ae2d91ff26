import { readMulawWav } from '../../support/audio-compare.js';
import { repoPath } from '../../support/paths.js';
import type { PlayOnPhoneRig, SippPhone, TestGateway } from '../../support/play-on-phone-setup.js';
import { freeUdpPort, RtpCapture, SilentGateway, startPlayOnPhoneRig, startSippPhone, untilDisconnected } from '../../support/play-on-phone-setup.js';

const MESSAGE = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw')).subarray(0, 8000);

describe('Play on Phone: calls that do not connect, and gateway fall-through (SIPp as the phone)', () => {
  let rig: PlayOnPhoneRig | undefined;
  let phone: SippPhone | undefined;
  let capture: RtpCapture | undefined;
  let silent: SilentGateway[] = [];

  afterEach(async () => {
    for (const gateway of silent) gateway.close();
    silent = [];
    phone?.kill();
    capture?.close();
    await rig?.close();
    rig = undefined;
    capture = undefined;
  });

  async function sippOk(p: SippPhone) {
    const sipp = await p.done;
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
  }

  async function call(gateways: TestGateway[], options: { noAnswerTimeoutMs?: number } = {}) {
    rig = await startPlayOnPhoneRig(gateways, options);
    const message = await rig.deliver('kim', MESSAGE);
    const { phoneCallId } = await rig.service.start({ alias: 'kim', messageId: message.id, dialString: '425-555-1234' });
    return { rig, phoneCallId };
  }

  test.each([
    ['486 Busy Here', 'UserBusy', 'pop-busy.xml'],
    ['404 Not Found', 'Unavailable', 'pop-not-found.xml'],
    ['603 Decline', 'Other', 'pop-decline.xml'],
  ])('the phone answers %s → Disconnected, %s, with the SIP code and reason', async (status, cause, scenario) => {
    const [code, ...reason] = status.split(' ');
    phone = await startSippPhone(scenario);
    const { rig, phoneCallId } = await call([{ name: 'Phone', port: phone.port }]);
    expect(await untilDisconnected(rig.service, 'kim', phoneCallId)).toEqual({
      state: 'Disconnected', failureCause: cause, sipResponseCode: Number(code), sipResponseText: reason.join(' '),
    });
    await sippOk(phone);
    expect(rig.service.liveCalls).toBe(0);
  }, 40000);

  test('nobody answers within the timeout → CANCEL, Disconnected, NoAnswer', async () => {
    phone = await startSippPhone('pop-ring.xml');
    const { rig, phoneCallId } = await call([{ name: 'Phone', port: phone.port }], { noAnswerTimeoutMs: 1500 });
    const info = await untilDisconnected(rig.service, 'kim', phoneCallId);
    expect(info).toEqual({ state: 'Disconnected', failureCause: 'NoAnswer', sipResponseCode: 487, sipResponseText: 'Request Terminated' });
    await sippOk(phone); // SIPp got the CANCEL, answered it and the INVITE 487
    expect(rig.transitions.filter((t) => t.phoneCallId === phoneCallId).map((t) => t.to)).toEqual(['Connecting', 'Alerted', 'Disconnected']);
  }, 40000);

  test('a busy callee ends the attempt: the next gateway is not tried', async () => {
    phone = await startSippPhone('pop-busy.xml');
    const spare = await SilentGateway.open();
    silent.push(spare);
    const { rig, phoneCallId } = await call([{ name: 'Busy', port: phone.port }, { name: 'Spare', port: spare.port }]);
    expect(await untilDisconnected(rig.service, 'kim', phoneCallId)).toMatchObject({ failureCause: 'UserBusy' });
    await sippOk(phone);
    expect(spare.received).toEqual([]);
  }, 40000);

  test.each<['UDP' | 'TCP', string]>([
    ['UDP', 'silent (no reply before the no-answer timeout)'],
    ['TCP', 'refusing connections (transport error, 503)'],
  ])('first outcall gateway dead over %s, %s → the second gets the INVITE and the call connects', async (transport) => {
    capture = await RtpCapture.open();
    phone = await startSippPhone('pop-answer.xml', { keys: { rtp_port: String(capture.port) } });
    const [noOutcalls, otherPlan, disabled] = [await SilentGateway.open(), await SilentGateway.open(), await SilentGateway.open()];
    silent.push(noOutcalls, otherPlan, disabled);
    // Over UDP a socket that never answers; over TCP a port nothing listens on (connection refused).
    const dead = transport === 'UDP' ? await SilentGateway.open() : undefined;
    if (dead) silent.push(dead);
    const { rig, phoneCallId } = await call(
      [
        { name: 'NoOutcalls', port: noOutcalls.port, outcallsAllowed: false },
        { name: 'Dead', port: dead?.port ?? (await freeUdpPort()), transport },
        { name: 'OtherPlan', port: otherPlan.port, dialPlans: ['Lync'] },
        { name: 'Disabled', port: disabled.port, status: 'Disabled' },
        { name: 'Phone', port: phone.port },
      ],
      { noAnswerTimeoutMs: 1500 },
    );
    expect(await untilDisconnected(rig.service, 'kim', phoneCallId)).toEqual({ state: 'Disconnected', failureCause: 'None', sipResponseCode: 200, sipResponseText: 'OK' });
    await sippOk(phone);
    expect(capture.pcmuSamples().length).toBeGreaterThanOrEqual(MESSAGE.length);
    if (dead) expect(dead.invites().length).toBeGreaterThanOrEqual(1);
    expect(rig.logs.filter((l) => l.msg === 'outcall gateway failed; trying the next').map((l) => l['gateway'])).toEqual(['Dead']);
    for (const unused of [noOutcalls, otherPlan, disabled]) expect(unused.received).toEqual([]);
  }, 40000);
});
