// SIP.js 0.21.2's generated grammar decodes all of its parser bytecode (about 900 strings) again on
// every Grammar.parse call — several per SIP message. Profiling openum at 200 calls/s put over 40 % of
// its CPU there. This memoises the decoding (a pure function of the string) at module level. It runs
// after `npm ci`, is idempotent, and fails loudly if the file is not the one it expects (sip.js is
// pinned to exactly 0.21.2); test/unit/sip/grammar-patch.test.ts checks it is applied.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARK = '/* openum: memoised peg$decode */';
const ORIGINAL = 'function peg$decode(s) {\n        return s.split("").map((ch) => ch.charCodeAt(0) - 32);\n    }';
const PATCHED = `function peg$decode(s) {\n        ${MARK}\n        let d = openumDecoded.get(s);\n        if (d === undefined) {\n            d = s.split("").map((ch) => ch.charCodeAt(0) - 32);\n            openumDecoded.set(s, d);\n        }\n        return d;\n    }`;

const require = createRequire(import.meta.url);
let file;
try {
  file = join(dirname(require.resolve('sip.js/package.json')), 'lib/grammar/pegjs/dist/grammar.js');
} catch {
  process.exit(0); // sip.js not installed (e.g. a partial install): nothing to patch
}
const text = readFileSync(file, 'utf8');
if (text.includes(MARK)) process.exit(0);
if (!text.includes(ORIGINAL) || !text.includes('function peg$parse(input, options) {')) {
  console.error(`patch-sip-grammar: ${file} is not SIP.js 0.21.2's grammar; not patched`);
  process.exit(1);
}
const patched = text
  .replace(ORIGINAL, PATCHED)
  .replace('function peg$parse(input, options) {', 'const openumDecoded = new Map();\nfunction peg$parse(input, options) {');
writeFileSync(file, patched);
console.log('patch-sip-grammar: memoised peg$decode in sip.js grammar');
