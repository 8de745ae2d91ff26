import pino from 'pino';
import { Grammar, IncomingRequestMessage, Parser, UserAgentCore } from 'sip.js/lib/core/index.js';
import type { URI } from 'sip.js/lib/core/index.js';
import { createCoreConfiguration } from '../../../../src/sip/core/core-configuration.js';
import { createPinoLoggerFactory } from '../../../../src/sip/core/pino-logger-factory.js';
import { request, statusOf } from '../support/sip-messages.js';

/**
 * Canary for the SIP.js internals openum leans on (spec/sip-stack.md item 4): the core's Request-URI
 * check (user-agent-core.ts ~477-494) 404s any user other than `configuration.aor.user` or the Contact
 * user, and reads `aor` synchronously while handling the request. If an upgrade changes either, these
 * tests fail.
 */
function harness(resolve: (uri: URI) => boolean) {
  const sent: string[] = [];
  const loggerFactory = createPinoLoggerFactory(pino({ level: 'silent' }));
  let current: URI | undefined;
  let aorReads = 0;
  const configuration = createCoreConfiguration({
    contactUri: Grammar.URIParse('sip:openum@127.0.0.1:5060') as URI,
    viaHost: '127.0.0.1:5060',
    loggerFactory,
    userAgent: 'test',
    supportedOptionTags: [],
    transport: { protocol: 'UDP', send: (m: string) => { sent.push(m); return Promise.resolve(); } },
    currentRequestUri: () => current,
    resolveTarget: (uri) => { aorReads++; return resolve(uri); },
  });
  const invites: string[] = [];
  const core = new UserAgentCore(configuration, {
    onInvite: (uas) => { invites.push(uas.message.ruri?.user ?? ''); uas.reject({ statusCode: 486 }); },
  });
  const deliver = (text: string): void => {
    const message = Parser.parseMessage(text, loggerFactory.getLogger('test'));
    if (!(message instanceof IncomingRequestMessage)) throw new Error('test message did not parse');
    current = message.ruri;
    try {
      core.receiveIncomingRequestFromTransport(message);
    } finally {
      current = undefined;
    }
  };
  return { sent, invites, deliver, core, aorReads: () => aorReads };
}

describe('SIP.js core Request-URI check (aor getter glue)', () => {
  it('the plain core answers 404 to a Request-URI user that is neither aor nor Contact user', () => {
    const h = harness(() => false);
    h.deliver(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1' }));
    expect(h.sent.map(statusOf)).toEqual([404]);
    expect(h.invites).toEqual([]);
    expect(h.aorReads()).toBeGreaterThan(0); // the core consulted `aor` while handling the request
    h.core.dispose();
  });

  it('with the resolver accepting the target, one core serves any user (the INVITE reaches onInvite)', () => {
    const h = harness((uri) => uri.user === '4711' || uri.user === '4712');
    h.deliver(request({ method: 'INVITE', uri: 'sip:4711@127.0.0.1' }));
    h.deliver(request({ method: 'INVITE', uri: 'sip:4712@127.0.0.1' }));
    expect(h.invites).toEqual(['4711', '4712']);
    expect(h.sent.map(statusOf)).toEqual([486, 486]);
    h.core.dispose();
  });

  it('the Contact user is always accepted (in-dialog requests target our Contact)', () => {
    const h = harness(() => false);
    h.deliver(request({ method: 'INVITE', uri: 'sip:openum@127.0.0.1:5060' }));
    expect(h.invites).toEqual(['openum']);
    h.core.dispose();
  });

  it('aor reads outside a request fall back to the Contact URI', () => {
    const h = harness(() => true);
    expect(h.core.configuration.aor.toString()).toBe('sip:openum@127.0.0.1:5060');
    h.core.dispose();
  });
});
