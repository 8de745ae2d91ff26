import { existsSync } from 'node:fs';
import pino from 'pino';
import { SipEndpoint } from '../../../src/sip/index.js';
import { runSipp, SIPP } from '../../support/sipp.js';
import { SDP_OFFER } from '../../unit/sip/support/sip-messages.js';

describe('SIPp built-in uac against the endpoint', () => {
  let endpoint: SipEndpoint;
  let answered = 0;

  beforeAll(async () => {
    endpoint = await SipEndpoint.start({
      listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }],
      logger: pino({ level: 'silent' }),
      resolveTarget: (uri) => uri.user === 'service', // SIPp's default Request-URI user
      delegate: {
        onInvite: (uas) => {
          answered++;
          uas.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: SDP_OFFER } });
        },
      },
    });
  });

  afterAll(() => endpoint?.close());

  it('SIPp is installed (sip-tester)', () => {
    expect(existsSync(SIPP)).toBe(true);
  });

  it.each([
    ['UDP', 'u1', 0],
    ['TCP', 't1', 1],
  ])('completes 10 calls (INVITE/100/200/ACK/BYE/200) over %s', async (_name, mode, index) => {
    const port = endpoint.listeners[index as number]?.port ?? 0;
    const before = answered;
    const result = await runSipp([`127.0.0.1:${port}`, '-sn', 'uac', '-t', mode as string, '-m', '10', '-r', '20', '-d', '100'], { hardLimitMs: 45_000 });
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output }).toEqual({ code: 0, tail: '' });
    expect(answered - before).toBe(10);
  }, 60_000);

  it('completes calls over UDP with 10 % packet loss, through retransmissions on both sides', async () => {
    const port = endpoint.listeners[0]?.port ?? 0;
    const result = await runSipp([`127.0.0.1:${port}`, '-sn', 'uac', '-t', 'u1', '-m', '10', '-r', '10', '-d', '100', '-lost', '10'], { hardLimitMs: 55_000 });
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output }).toEqual({ code: 0, tail: '' });
  }, 60_000);
});
