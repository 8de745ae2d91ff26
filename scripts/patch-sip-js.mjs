// Two hot spots of SIP.js 0.21.2 that profiling openum under load found, patched in the installed
// package after `npm ci` (sip.js is pinned to exactly 0.21.2). Each patch is idempotent and fails
// loudly when the file is not the one it expects; test/unit/sip/sip-js-patches.test.ts checks both.
//
// 1. grammar.js rebuilds and re-decodes its whole parser bytecode table (~240 strings) on every
//    Grammar.parse call (several per SIP message): over 40 % of openum's CPU at 200 calls/s. The
//    table is pure data: build it once, at module level.
// 2. user-agent-core.js detects merged requests (RFC 3261 §8.2.2.2) by scanning every live server
//    transaction for each new request: quadratic in the call rate, since accepted INVITE
//    transactions live 32 s. Keep an index of (From tag, Call-ID, CSeq) beside the map instead.
// 3. Every incoming message has its Via, From, To and Contact parsed by the PEG interpreter (~230 µs of
//    the ~310 µs a message costs), though most values repeat within a transaction and a dialog
//    (responses to our INVITE, requests of one dialog). Parse each distinct text once, from a bounded
//    cache, and hand out copies: callers own (and may change) what they get.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const PATCHES = [
  {
    file: 'lib/grammar/pegjs/dist/grammar.js',
    mark: '/* openum: bytecode decoded once */',
    // The bytecode table is a literal of peg$decode(...) calls inside peg$parse; it is moved to module
    // level, decoded once, and peg$parse refers to it.
    transform(text) {
      const start = text.indexOf('    const peg$bytecode = [\n');
      const end = start < 0 ? -1 : text.indexOf('\n    ];\n', start);
      const parse = text.indexOf('function peg$parse(input, options) {');
      if (start < 0 || end < 0 || parse < 0 || parse > start) return undefined;
      const table = text.slice(start + '    const peg$bytecode = '.length, end + '\n    ]'.length).replaceAll('peg$decode(', 'openumDecode(');
      const hoisted = `/* openum: bytecode decoded once */\nfunction openumDecode(s) {\n    return s.split("").map((ch) => ch.charCodeAt(0) - 32);\n}\nconst openumBytecode = ${table};\n`;
      return text.slice(0, parse) + hoisted + text.slice(parse, start) + '    const peg$bytecode = openumBytecode;' + text.slice(end + '\n    ];'.length);
    },
  },
  {
    file: 'lib/core/user-agent-core/user-agent-core.js',
    mark: '/* openum: indexed merged-request detection */',
    edits: [
      [
        '        this.userAgentServers = new Map();',
        '        this.userAgentServers = new OpenumUserAgentServers(); /* openum: indexed merged-request detection */',
      ],
      [
        `                const mergedRequest = Array.from(this.userAgentServers.values()).some((uas) => uas.transaction.request.fromTag === message.fromTag &&
                    uas.transaction.request.callId === message.callId &&
                    uas.transaction.request.cseq === message.cseq);`,
        '                const mergedRequest = this.userAgentServers.hasRequestLike(message);',
      ],
      [
        'export class UserAgentCore {',
        `/** The server transactions by id, with a count per (From tag, Call-ID, CSeq) for merged-request detection. */
class OpenumUserAgentServers extends Map {
    constructor() {
        super();
        this.byRequest = new Map();
    }
    static requestKey(request) {
        return request.fromTag + "\\u0000" + request.callId + "\\u0000" + request.cseq;
    }
    set(id, uas) {
        const previous = super.get(id);
        if (previous !== undefined) this.forget(previous);
        const key = OpenumUserAgentServers.requestKey(uas.transaction.request);
        this.byRequest.set(key, (this.byRequest.get(key) || 0) + 1);
        return super.set(id, uas);
    }
    delete(id) {
        const uas = super.get(id);
        if (uas !== undefined) this.forget(uas);
        return super.delete(id);
    }
    clear() {
        this.byRequest.clear();
        super.clear();
    }
    forget(uas) {
        const key = OpenumUserAgentServers.requestKey(uas.transaction.request);
        const n = (this.byRequest.get(key) || 0) - 1;
        if (n > 0) this.byRequest.set(key, n);
        else this.byRequest.delete(key);
    }
    hasRequestLike(message) {
        return this.byRequest.has(OpenumUserAgentServers.requestKey(message));
    }
}
export class UserAgentCore {`,
      ],
    ],
  },
  {
    file: 'lib/grammar/grammar.js',
    mark: '/* openum: parsed-header cache */',
    edits: [
      [
        '    Grammar.parse = parse;',
        `    /* openum: parsed-header cache */
    const openumCopies = {
        From: (v) => v.clone(),
        To: (v) => v.clone(),
        Via: (v) => structuredClone(v),
        Contact: (v) => v.map((c) => Object.assign({}, c, { parsed: c.parsed.clone() })),
    };
    const openumCache = new Map();
    const OPENUM_CACHE_ENTRIES = 8192;
    const OPENUM_LONGEST_VALUE = 2048;
    function cachedParse(input, startRule) {
        const copy = openumCopies[startRule];
        if (copy === undefined || typeof input !== "string" || input.length > OPENUM_LONGEST_VALUE) {
            return parse(input, startRule);
        }
        const key = startRule + "\u0000" + input;
        let parsed = openumCache.get(key);
        if (parsed === undefined) {
            parsed = parse(input, startRule);
            if (openumCache.size >= OPENUM_CACHE_ENTRIES) openumCache.delete(openumCache.keys().next().value);
            openumCache.set(key, parsed);
        }
        return parsed === -1 || parsed === undefined ? parsed : copy(parsed);
    }
    Grammar.parse = cachedParse;`,
      ],
    ],
  },
];

let root;
try {
  root = dirname(require.resolve('sip.js/package.json'));
} catch {
  process.exit(0); // sip.js not installed (a partial install): nothing to patch
}
for (const patch of PATCHES) {
  const file = join(root, patch.file);
  let text = readFileSync(file, 'utf8');
  if (text.includes(patch.mark)) continue;
  if (patch.transform) {
    const result = patch.transform(text);
    if (result === undefined) {
      console.error(`patch-sip-js: ${file} is not SIP.js 0.21.2's; not patched`);
      process.exit(1);
    }
    text = result;
  }
  for (const [original, replacement] of patch.edits ?? []) {
    if (!text.includes(original)) {
      console.error(`patch-sip-js: ${file} is not SIP.js 0.21.2's; not patched (missing: ${original.slice(0, 60)}…)`);
      process.exit(1);
    }
    text = text.replace(original, replacement);
  }
  writeFileSync(file, text);
  console.log(`patch-sip-js: patched ${patch.file}`);
}
