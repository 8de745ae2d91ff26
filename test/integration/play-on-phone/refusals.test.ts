import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlayOnPhoneRefusedError } from '../../../src/calls/play-on-phone/index.js';
import { readMulawWav } from '../../support/audio-compare.js';
import { repoPath } from '../../support/paths.js';
import type { PlayOnPhoneRig, SippPhone } from '../../support/play-on-phone-setup.js';
import { startPlayOnPhoneRig, startSippPhone, untilDisconnected } from '../../support/play-on-phone-setup.js';

const MESSAGE = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw')).subarray(0, 8000);

async function refusal(promise: Promise<unknown>): Promise<{ refusal: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlayOnPhoneRefusedError);
    const e = error as PlayOnPhoneRefusedError;
    return { refusal: e.refusal, code: e.code };
  }
  throw new Error('not refused');
}

describe('Play on Phone: refused requests never reach the phone (SIPp as the phone)', () => {
  let rig: PlayOnPhoneRig | undefined;
  let phone: SippPhone | undefined;
  const messageFile = join(tmpdir(), `openum-pop-refusals-${process.pid}.log`);

  afterEach(async () => {
    phone?.kill();
    await rig?.close();
    rig = undefined;
    rmSync(messageFile, { force: true });
  });

  async function sippOk(p: SippPhone) {
    const sipp = await p.done;
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
  }

  test('a number the dialing rules deny, a malformed one and a bad SIP URI are refused with no INVITE; an allowed one is the only call the phone sees', async () => {
    phone = await startSippPhone('pop-answer.xml', { keys: { rtp_port: '9' }, messageFile });
    rig = await startPlayOnPhoneRig([{ name: 'Phone', port: phone.port }]);
    const message = await rig.deliver('kim', MESSAGE);
    const start = (dialString: string) => rig!.service.start({ alias: 'kim', messageId: message.id, dialString });
    expect(await refusal(start('+44 20 7946 0018'))).toEqual({ refusal: 'invalid-phone-number', code: 'OPENUM_POP_INVALID_PHONE_NUMBER' });
    expect(await refusal(start('206-555-1234'))).toEqual({ refusal: 'invalid-phone-number', code: 'OPENUM_POP_INVALID_PHONE_NUMBER' });
    expect(await refusal(start('call me'))).toEqual({ refusal: 'phone-number-not-dialable', code: 'OPENUM_POP_PHONE_NUMBER_NOT_DIALABLE' });
    expect(await refusal(start('sip:@@contoso.com'))).toEqual({ refusal: 'invalid-sip-uri', code: 'OPENUM_POP_INVALID_SIP_URI' });
    expect(rig.service.liveCalls).toBe(0);
    const { phoneCallId } = await start('425-555-1234');
    expect(await untilDisconnected(rig.service, 'kim', phoneCallId)).toMatchObject({ failureCause: 'None' });
    await sippOk(phone);
    const invites = readFileSync(messageFile, 'utf8').split('\n').map((line) => line.trimEnd()).filter((line) => line.startsWith('INVITE '));
    expect(invites).toEqual([`INVITE sip:914255551234@127.0.0.1:${phone.port};user=phone SIP/2.0`]);
  }, 40000);

  test('one call per user: a second while the first rings is refused (request-failed); disconnect() while ringing sends CANCEL', async () => {
    phone = await startSippPhone('pop-ring.xml');
    rig = await startPlayOnPhoneRig([{ name: 'Phone', port: phone.port }]);
    const message = await rig.deliver('kim', MESSAGE);
    const { phoneCallId } = await rig.service.start({ alias: 'kim', messageId: message.id, dialString: '425-555-1234' });
    const deadline = Date.now() + 15000;
    while (rig.service.get('kim', phoneCallId)?.state !== 'Alerted' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(rig.service.get('kim', phoneCallId)).toEqual({ state: 'Alerted', failureCause: 'None', sipResponseCode: 180, sipResponseText: 'Ringing' });
    expect(await refusal(rig.service.start({ alias: 'KIM', messageId: message.id, dialString: '425-555-9999' }))).toEqual({ refusal: 'request-failed', code: 'OPENUM_POP_REQUEST_FAILED' });
    expect(rig.service.get('erin', phoneCallId)).toBeUndefined(); // another user cannot see it
    expect(await rig.service.disconnect('kim', phoneCallId)).toBe(true);
    expect(rig.service.get('kim', phoneCallId)).toEqual({ state: 'Disconnected', failureCause: 'None', sipResponseCode: 487, sipResponseText: 'Request Terminated' });
    await sippOk(phone); // SIPp received the CANCEL and ended the INVITE with 487
    expect(rig.service.liveCalls).toBe(0);
  }, 40000);
});
