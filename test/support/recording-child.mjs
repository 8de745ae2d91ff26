// Child process of test/integration/media/recording-crash.test.ts. It records a known signal into a
// RecordingFile faster than real time and reports every fsync to the parent, which kills it with
// SIGKILL at a moment of its choosing. Plain JavaScript on the compiled sources (`npm run build`), so
// that nothing about the recording path differs from production.
import { RecordingFile } from '../../dist/src/media/index.js';

const [path, framesArg] = process.argv.slice(2);
if (!path || !process.send) throw new Error('usage: fork recording-child.mjs <path> [frames] (needs an IPC channel)');
const maxFrames = Number(framesArg ?? 3000);

/** Frame n of the signal: sample i of the stream is (i mod 20000) − 10000, so any prefix is checkable. */
function frame(n) {
  return Int16Array.from({ length: 160 }, (_, i) => ((n * 160 + i) % 20000) - 10000);
}

// If the parent goes away, do not linger.
process.on('disconnect', () => process.exit(0));

const file = await RecordingFile.create(path, { onSync: (samples) => process.send({ synced: samples }) });
let next = 0;
// 10 frames (200 ms of audio) every 2 ms: like a call, writes arrive in small pieces over time.
const writer = setInterval(() => {
  for (let k = 0; k < 10 && next < maxFrames; k++, next++) file.write(frame(next));
  if (next >= maxFrames) clearInterval(writer);
}, 2);
// Hang here (the parent kills us); give up after 30 s so a broken parent cannot leave us running.
setTimeout(() => process.exit(1), 30_000);
process.send({ ready: true });
