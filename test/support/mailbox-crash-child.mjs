// Child process of test/integration/mailbox/mailbox-crash.test.ts. Through the compiled MailboxService
// (`npm run build`) it begins one message per mailbox named on the command line, streams a known signal
// into each faster than real time, reports every fsync to the parent, and is killed with SIGKILL by the
// parent. It also commits one short message to the `wma` mailbox first, whose encoding is usually still
// running at the kill. Plain JavaScript on the compiled sources so that nothing differs from production.
import { readFileSync } from 'node:fs';
import { loadConfigurationText } from '../../dist/src/config/index.js';
import { MailboxService, openMessageStore } from '../../dist/src/mailbox/index.js';
import { RecordingFile, recoverPartialRecordings } from '../../dist/src/media/index.js';

const [configFile, ...mailboxes] = process.argv.slice(2);
if (!configFile || mailboxes.length === 0 || !process.send) throw new Error('usage: fork mailbox-crash-child.mjs <config.yaml> <alias>... (needs an IPC channel)');
const { configuration } = loadConfigurationText(readFileSync(configFile, 'utf8'), configFile);
if (!configuration) throw new Error(`${configFile}: invalid configuration`);

/** Sample i of message k: a sawtooth offset per message, so a mix-up between files shows. */
export function sample(k, i) {
  return ((i + k * 7919) % 20000) - 10000;
}
function frame(k, n) {
  return Int16Array.from({ length: 160 }, (_, i) => sample(k, n * 160 + i));
}

// If the parent goes away, do not linger; give up after 30 s so a broken parent cannot leave us running.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(1), 30_000);

const store = await openMessageStore(configuration);
const service = await MailboxService.create({
  configuration,
  store,
  recordings: {
    create: (path) => RecordingFile.create(path, { onSync: (samples) => process.send({ path, synced: samples }) }),
    recoverPartial: (dir) => recoverPartialRecordings(dir),
  },
});

// A message committed normally: the master is durable, its encoding runs when the kill comes.
const early = await service.beginMessage({ mailbox: 'wma', dialPlanCodec: 'Mp3', caller: '+14255550100', callerName: null, callId: 'early@test' });
for (let n = 0; n < 100; n++) early.sink.write(frame(99, n));
const committed = await early.commit({ voicedMs: 2000, samples: 16_000, trailingSilenceSamples: 0 });
committed.delivered.catch(() => undefined);

const pending = [];
for (const mailbox of mailboxes) {
  pending.push(await service.beginMessage({ mailbox, dialPlanCodec: 'Mp3', caller: 'sip:jo@fabrikam.com', callerName: 'Jo', callId: `${mailbox}@test` }));
}
process.send({ ready: true, early: committed.id, messages: pending.map((p, k) => ({ k, id: p.id, mailbox: p.mailbox, path: p.sink.path })) });

const maxFrames = 3000;
let next = 0;
// 10 frames (200 ms of audio) per message every 2 ms: writes arrive in small pieces over time, interleaved.
const writer = setInterval(() => {
  for (let j = 0; j < 10 && next < maxFrames; j++, next++) pending.forEach((p, k) => p.sink.write(frame(k, next)));
  if (next >= maxFrames) clearInterval(writer);
}, 2);
