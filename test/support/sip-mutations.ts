// Random mutations of valid SIP messages, for robustness tests.

/** Deterministic PRNG so a failing mutation can be replayed. */
export { mulberry32 as prng } from '../../bench/support/prng.js';

const JUNK = ['\0', '\xff', ':', ';', ',', '<', '>', '"', '\r\n', '\r\n\r\n', ' ', '=', 'tel:', 'sip:', '%', 'z9hG4bK', '999999999999', '-1', '\t', '[', ']', '@'];

/** One random mutation of a valid message. */
export function mutate(base: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(base);
  const at = Math.floor(random() * bytes.length);
  const len = 1 + Math.floor(random() * 40);
  switch (Math.floor(random() * 7)) {
    case 0: { // flip bytes
      for (let i = 0; i < 1 + Math.floor(random() * 8); i++) {
        const j = Math.floor(random() * bytes.length);
        bytes[j] = Math.floor(random() * 256);
      }
      return bytes;
    }
    case 1: return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + len))]); // delete
    case 2: return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]); // duplicate
    case 3: { // insert junk tokens
      const junk = Array.from({ length: 1 + Math.floor(random() * 4) }, () => JUNK[Math.floor(random() * JUNK.length)]).join('');
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(junk, 'latin1'), bytes.subarray(at)]);
    }
    case 4: return bytes.subarray(0, at); // truncate
    case 5: { // swap two lines
      const lines = bytes.toString('latin1').split('\r\n');
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    default: { // replace a header value with junk
      const lines = bytes.toString('latin1').split('\r\n');
      const i = 1 + Math.floor(random() * Math.max(1, lines.length - 3));
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon > 0) lines[i] = `${line.slice(0, colon + 1)} ${Buffer.from(Array.from({ length: len }, () => Math.floor(random() * 256))).toString('latin1')}`;
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
  }
}
