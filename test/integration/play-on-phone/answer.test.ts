import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bestAlignment, readMulawWav } from '../../support/audio-compare.js';
import { repoPath } from '../../support/paths.js';
import type { PlayOnPhoneRig, SippPhone } from '../../support/play-on-phone-setup.js';
import { RtpCapture, startPlayOnPhoneRig, startSippPhone, untilDisconnected } from '../../support/play-on-phone-setup.js';
import { decode } from '../mailbox/mailbox-fixture.js';

const MESSAGE = readMulawWav(repoPath('sipp-scenarios/media/caller.ulaw'));

describe('Play on Phone: the called phone answers (SIPp as the phone, real sockets)', () => {
  let rig: PlayOnPhoneRig | undefined;
  let capture: RtpCapture | undefined;
  let phone: SippPhone | undefined;

  afterEach(async () => {
    phone?.kill();
    capture?.close();
    await rig?.close();
    rig = undefined;
  });

  async function setUp(scenario: string, messageFile?: string) {
    capture = await RtpCapture.open();
    phone = await startSippPhone(scenario, { keys: { rtp_port: String(capture.port) }, ...(messageFile ? { messageFile } : {}) });
    rig = await startPlayOnPhoneRig([{ name: 'Phone', port: phone.port }]);
    return { rig, phone, capture };
  }

  async function sippOk(p: SippPhone) {
    const sipp = await p.done;
    expect({ code: sipp.code, output: sipp.code === 0 ? '' : sipp.output }).toEqual({ code: 0, output: '' });
  }

  test('plays the stored message to the phone, then hangs up: Connecting → Alerted → Connected → Disconnected, cause None', async () => {
    const messageFile = join(tmpdir(), `openum-pop-answer-${process.pid}.log`);
    const { rig, phone, capture } = await setUp('pop-answer.xml', messageFile);
    const message = await rig.deliver('kim', MESSAGE);
    const { phoneCallId } = await rig.service.start({ alias: 'kim', messageId: message.id, dialString: '425-555-1234' });
    expect(phoneCallId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const info = await untilDisconnected(rig.service, 'kim', phoneCallId);
    expect(info).toEqual({ state: 'Disconnected', failureCause: 'None', sipResponseCode: 200, sipResponseText: 'OK' });
    await sippOk(phone);
    expect(rig.transitions.filter((t) => t.phoneCallId === phoneCallId).map((t) => t.to)).toEqual(['Connecting', 'Alerted', 'Connected', 'Disconnected']);

    // The INVITE: the dialed string after the rules at the gateway, the user's extension as caller ID.
    const log = readFileSync(messageFile, 'utf8');
    rmSync(messageFile, { force: true });
    expect(log).toContain(`INVITE sip:914255551234@127.0.0.1:${phone.port};user=phone SIP/2.0`);
    expect(log).toMatch(/From: "Kim Akers" <sip:50101@contoso\.com;user=phone>;tag=/);

    const heard = capture.pcmuSamples();
    expect(heard.length).toBeGreaterThanOrEqual(MESSAGE.length);
    expect(bestAlignment(MESSAGE, heard, 8000).correlation).toBeGreaterThanOrEqual(0.99);
  }, 40000);

  test('a message stored as Mp3 is decoded and played as ffmpeg decodes the stored file', async () => {
    const { rig, phone, capture } = await setUp('pop-answer.xml');
    const message = await rig.deliver('mo', MESSAGE);
    expect(message.codec).toBe('Mp3');
    const stored = await decode(rig.mailboxes.audioFilePath(message));
    const { phoneCallId } = await rig.service.start({ alias: 'mo', messageId: message.id, dialString: '+1 425 555 1234' });
    expect(await untilDisconnected(rig.service, 'mo', phoneCallId)).toMatchObject({ state: 'Disconnected', failureCause: 'None' });
    await sippOk(phone);
    expect(bestAlignment(stored, capture.pcmuSamples(), 8000).correlation).toBeGreaterThanOrEqual(0.98);
  }, 40000);

  test('the person hangs up mid-message (BYE from the phone): Disconnected, cause None, the rest not played', async () => {
    const { rig, phone, capture } = await setUp('pop-hang-up.xml');
    const message = await rig.deliver('kim', MESSAGE);
    const { phoneCallId } = await rig.service.start({ alias: 'kim', messageId: message.id, dialString: '14255551234' });
    expect(await untilDisconnected(rig.service, 'kim', phoneCallId)).toEqual({ state: 'Disconnected', failureCause: 'None', sipResponseCode: 200, sipResponseText: 'OK' });
    await sippOk(phone);
    // SIPp hung up 1 s into a 3 s message.
    expect(capture.pcmuSamples().length).toBeLessThan(MESSAGE.length);
    expect(rig.service.liveCalls).toBe(0);
  }, 40000);

  test('disconnect() mid-message sends BYE: Disconnected, cause None, the user’s slot freed', async () => {
    const { rig, phone, capture } = await setUp('pop-answer.xml');
    const message = await rig.deliver('kim', MESSAGE);
    const { phoneCallId } = await rig.service.start({ alias: 'kim', messageId: message.id, dialString: '425-555-1234' });
    const deadline = Date.now() + 15000;
    while (rig.service.get('kim', phoneCallId)?.state !== 'Connected' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(rig.service.get('kim', phoneCallId)?.state).toBe('Connected');
    expect(await rig.service.disconnect('erin', phoneCallId)).toBe(false); // not erin's call
    expect(await rig.service.disconnect('kim', phoneCallId)).toBe(true);
    expect(rig.service.get('kim', phoneCallId)).toMatchObject({ state: 'Disconnected', failureCause: 'None' });
    await sippOk(phone);
    expect(capture.pcmuSamples().length).toBeLessThan(MESSAGE.length);
    expect(await rig.service.disconnect('kim', phoneCallId)).toBe(true); // already over: nothing to do
    expect(rig.service.liveCalls).toBe(0);
  }, 40000);
});
