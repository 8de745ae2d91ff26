// The MWI schedule and gateway order, with the SIP side replaced by a recorder (the wire format and
// real gateways are covered by test/integration/notify/message-waiting.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigurationText } from '../../../src/config/index.js';
import { Directory } from '../../../src/directory/index.js';
import { openMessageStore } from '../../../src/mailbox/index.js';
import type { MessageStore } from '../../../src/mailbox/index.js';
import { MessageWaitingIndicator, mwiGateways } from '../../../src/notify/index.js';
import type { OutboundRequestOptions } from '../../../src/sip/index.js';
import { testSiteYaml } from '../../support/openum-under-test.js';

describe('MessageWaitingIndicator schedule', () => {
  let folder: string;
  let store: MessageStore;
  const yaml = testSiteYaml({ rtpPortMin: 30000, mwiRefresh: 60, mwiGateways: [{ port: 5071, transport: 'TCP' }, { port: 5072, transport: 'UDP' }] });
  const configuration = () => loadConfigurationText(yaml, join(folder, 'openum.yaml')).configuration!;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'openum-mwi-'));
    store = await openMessageStore(configuration());
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('gateways are the dial plan\'s enabled ones with MessageWaitingIndicatorAllowed, in configuration order', () => {
    expect(mwiGateways(configuration(), 'Redmond')).toEqual([
      { address: '127.0.0.1', port: 5071, protocol: 'tcp' },
      { address: '127.0.0.1', port: 5072, protocol: 'udp' },
    ]);
    expect(mwiGateways(configuration(), 'Elsewhere')).toEqual([]);
  });

  test('the first sweep NOTIFYs every mailbox whose policy allows MWI, falling through a gateway that refuses', async () => {
    const sent: OutboundRequestOptions[] = [];
    const config = configuration();
    const results: string[] = [];
    const mwi = new MessageWaitingIndicator({
      configuration: config,
      directory: new Directory(config),
      store,
      signalling: () => ({
        sendRequest: async (options) => {
          sent.push(options);
          return options.via.port === 5071 ? { statusCode: 503, reasonPhrase: 'Service Unavailable' } : { statusCode: 200, reasonPhrase: 'OK' };
        },
      }),
      onResult: (result) => results.push(result),
      initialSweepMs: 10,
    });
    mwi.start();
    const allowed = config.UMMailboxes.filter((m) => m.UMMailboxPolicy !== 'Quiet').map((m) => m.Alias);
    const deadline = Date.now() + 5000;
    while (results.length < allowed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await mwi.close();
    expect(results).toEqual(allowed.map(() => 'ok'));
    // Each mailbox: the TCP gateway first (503), then the UDP one.
    expect(sent.map((s) => s.via.port)).toEqual(allowed.flatMap(() => [5071, 5072]));
    const bodies = sent.filter((s) => s.via.port === 5072).map((s) => /Message-Account: (\S+)/.exec(s.body!.content)![1]);
    expect(bodies.sort()).toEqual(allowed.map((a) => `sip:${a}@contoso.com`).sort());
    expect(sent.every((s) => s.method === 'NOTIFY' && s.headers?.['Subscription-State'] === 'terminated' && s.headers?.['Event'] === 'message-summary')).toBe(true);
  });
});
