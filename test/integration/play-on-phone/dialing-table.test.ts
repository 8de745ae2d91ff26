// Issue 6's dialing table: test/fixtures/dialing-table/{openum.yaml,cases.csv} (in-country, toll-free,
// international landline and premium numbers, extensions under each Allow flag) runs through
// `openum check-dial --cases`, then every case as a live Play on Phone request through the JSON API on a
// running openum with SIPp as the phone. Allowed cases put exactly their expected dialed string in the
// INVITE's Request-URI; denied ones are refused and never produce an INVITE.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../../src/cli/main.js';
import { captureOutput } from '../../support/capture-output.js';
import { startOpenum } from '../../support/openum-under-test.js';
import type { OpenumUnderTest } from '../../support/openum-under-test.js';
import { repoPath } from '../../support/paths.js';
import { deliverMessage, startSippPhone } from '../../support/play-on-phone-setup.js';

const CONFIG = repoPath('test/fixtures/dialing-table/openum.yaml');
const CASES = repoPath('test/fixtures/dialing-table/cases.csv');

interface Case {
  scenario: string;
  subject: string;
  dialString: string;
  expect: 'allow' | 'deny';
  expectDialed: string;
}

const cases = (parse(readFileSync(CASES, 'utf8'), { columns: true, comment: '#', skip_empty_lines: true }) as Case[]);

describe('the dialing table', () => {
  test('passes openum check-dial --cases', async () => {
    const io = captureOutput();
    expect(await main(['check-dial', '--config', CONFIG, '--cases', CASES], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain(`${cases.length} passed, 0 failed`);
  });

  test('behaves the same as live Play on Phone requests: allowed cases INVITE the expected number, denied ones nothing', async () => {
    const allowed = cases.filter((c) => c.expect === 'allow');
    const messageFile = join(tmpdir(), `openum-dialing-table-${process.pid}.log`);
    // SIPp answers every INVITE 486 (fast; the Request-URI is what is checked) and logs the messages.
    const phone = await startSippPhone('pop-busy.xml', { calls: allowed.length, messageFile, timeoutS: 60 });
    let openum: OpenumUnderTest | undefined;
    try {
      openum = await startOpenum(readFileSync(CONFIG, 'utf8').replace('Port: 5099', `Port: ${phone.port}`));
      const base = `http://127.0.0.1:${openum.server.httpPort}/api/v1`;
      const silence = new Int16Array(8000 * 2).map((_, i) => Math.round(3000 * Math.sin(i / 5)));
      const users = [...new Set(cases.map((c) => c.subject))];
      const auth: Record<string, string> = {};
      const messages: Record<string, string> = {};
      for (const alias of users) {
        messages[alias] = (await deliverMessage(openum.node.mailboxes, alias, silence)).id;
        auth[alias] = `Bearer ${(await openum.node.store.credentials.createToken(alias)).token}`;
      }
      const results: string[] = [];
      for (const c of cases) {
        const reply = await fetch(`${base}/play-on-phone`, {
          method: 'POST',
          headers: { authorization: auth[c.subject]!, 'content-type': 'application/json' },
          body: JSON.stringify({ messageId: messages[c.subject], dialString: c.dialString }),
        });
        const body = await reply.json() as { phoneCallId?: string; error?: { code: string } };
        if (c.expect === 'deny') {
          results.push(`${c.subject} ${c.dialString}: ${reply.status === 422 ? 'deny' : `unexpected ${reply.status}`}`);
          continue;
        }
        // Wait for the 486 so the user's one Play on Phone slot is free again.
        const deadline = Date.now() + 15000;
        let info: { state: string; failureCause: string } | undefined;
        while (Date.now() < deadline) {
          info = await (await fetch(`${base}/phone-calls/${body.phoneCallId}`, { headers: { authorization: auth[c.subject]! } })).json() as { state: string; failureCause: string };
          if (info.state === 'Disconnected') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        results.push(`${c.subject} ${c.dialString}: ${reply.status === 202 && info?.failureCause === 'UserBusy' ? 'allow' : `unexpected ${reply.status} ${JSON.stringify(info)}`}`);
      }
      expect(results).toEqual(cases.map((c) => `${c.subject} ${c.dialString}: ${c.expect}`));
      const done = await phone.done;
      expect({ code: done.code, output: done.code === 0 ? '' : done.output }).toEqual({ code: 0, output: '' });
      // One INVITE per allowed case, in order, each to the dialed string the table expects.
      const invites = [...readFileSync(messageFile, 'utf8').matchAll(/^INVITE sip:([^@;]+)@/gm)].map((m) => m[1]);
      expect(invites).toEqual(allowed.map((c) => c.expectDialed));
    } finally {
      phone.kill();
      await openum?.stop();
      rmSync(messageFile, { force: true });
    }
  }, 120000);
});
