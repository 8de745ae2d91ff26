// Hot spots and a defect of SIP.js 0.21.2 that running openum under load found, patched in the
// installed package after `npm ci` (sip.js is pinned to exactly 0.21.2). Each patch is idempotent and
// fails loudly when the file is not the one it expects; test/unit/sip/sip-js-patches.test.ts checks them.
//
// 1. grammar.js rebuilds and re-decodes its whole parser bytecode table (~240 strings) on every
//    Grammar.parse call (several per SIP message): over 40 % of openum's CPU at 200 calls/s. The
//    table is pure data: build it once, at module level.
// 2. user-agent-core.js detects merged requests (RFC 3261 §8.2.2.2) by scanning every live server
//    transaction for each new request: quadratic in the call rate, since accepted INVITE
//    transactions live 32 s. Keep an index of (From tag, Call-ID, CSeq) beside the map instead.
// 3. Every incoming message has its first line, Via, From, To, Call-ID, CSeq, Contact, Record-Route
//    and Content-* parsed by the PEG interpreter (~230 µs of the ~310 µs a message costs for Via,
//    From, To and Contact alone), though most values repeat within a transaction and a dialog. Parse
//    each distinct text once, from a bounded cache, and hand out copies: callers own (and may change)
//    what they get. The From/To tag and the Via branch differ for every dialog and transaction, so
//    those are cached under a template without them and set again on the copy. URIs too
//    (Grammar.URIParse): the next hop of every request we send and every target we dial repeats.
// 4. Via branches (client transaction ids) are "z9hG4bK" + a random number below 10^7. INVITE client
//    transactions live 32 s after their 2xx (Timer M), so at 200 calls/s some 6,400 are alive at once
//    and a new branch matches a live one about once every 1,600 calls: the newer transaction takes
//    the older one's place in the core's map, responses go to the wrong transaction, and the older
//    one is never disposed (its timer kept `openum serve` from exiting for up to 32 s after SIGTERM).
//    Branches get 122 random bits (a v4 UUID) instead (RFC 3261 §8.1.1.7: unique across space and time).
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
    mark: '/* openum: parsed-header cache v4 */',
    edits: [
      [
        '    Grammar.parse = parse;',
        `    /* openum: parsed-header cache v4 */
    // Rules whose results are cached. Callers own (and may change) what they get: each gets a deep copy
    // with the same prototypes (URI, NameAddrHeader), so it is indistinguishable from a fresh parse.
    const openumCached = new Set(["From", "To", "Via", "Contact", "Record_Route", "Call_ID", "CSeq", "Content_Length", "Content_Type", "Max_Forwards", "Request_Response", "SIP_URI"]);
    function openumCopy(value) {
        if (value === null || typeof value !== "object") return value;
        if (Array.isArray(value)) return value.map(openumCopy);
        const copy = Object.create(Object.getPrototypeOf(value));
        for (const key of Object.keys(value)) copy[key] = openumCopy(value[key]);
        return copy;
    }
    // Parameters unique to each dialog or transaction: cached under a template with the value replaced,
    // and set again on the copy. Only plain tokens, so the template parses exactly as the value would.
    const openumPerCall = { From: "tag", To: "tag", Via: "branch" };
    const openumToken = /^[A-Za-z0-9\\-.!%*_+\\x60'~]+$/;
    const openumParam = { tag: /;\\s*tag\\s*=\\s*([^;,\\s]+)/i, branch: /;\\s*branch\\s*=\\s*([^;,\\s]+)/i };
    function openumTemplate(input, param) {
        // A header parameter comes after the URI: outside <...>. One Via per value only, no quoted
        // parameter values (they may hold ";tag=" text) and the parameter once: anything else is
        // parsed in full, so the result is always SIP.js's own.
        if (param === "branch" && input.includes(",")) return undefined;
        const from = input.lastIndexOf(">") + 1;
        const tail = input.slice(from);
        if (tail.includes('"')) return undefined;
        const match = openumParam[param].exec(tail);
        if (match === null || !openumToken.test(match[1])) return undefined;
        if (openumParam[param].test(tail.slice(match.index + match[0].length))) return undefined;
        const at = from + match.index + match[0].length - match[1].length;
        return { template: input.slice(0, at) + "openum" + input.slice(at + match[1].length), value: match[1] };
    }
    const openumCache = new Map();
    const OPENUM_CACHE_ENTRIES = 8192;
    const OPENUM_LONGEST_VALUE = 2048;
    function cachedParse(input, startRule) {
        if (!openumCached.has(startRule) || typeof input !== "string" || input.length > OPENUM_LONGEST_VALUE) {
            return parse(input, startRule);
        }
        const param = openumPerCall[startRule];
        const templated = param === undefined ? undefined : openumTemplate(input, param);
        const text = templated === undefined ? input : templated.template;
        const key = startRule + "\\u0000" + text;
        let parsed = openumCache.get(key);
        if (parsed === undefined) {
            parsed = parse(text, startRule);
            if (openumCache.size >= OPENUM_CACHE_ENTRIES) openumCache.delete(openumCache.keys().next().value);
            openumCache.set(key, parsed);
        }
        if (parsed === -1 || parsed === undefined) return parsed;
        const result = openumCopy(parsed);
        if (templated !== undefined) {
            if (param === "branch") result.branch = templated.value;
            else result.setParam(param, templated.value);
        }
        return result;
    }
    Grammar.parse = cachedParse;
    // Entries cached (the patch's test reads it: a copy cannot show whether it came from the cache).
    Grammar.openumCacheSize = () => openumCache.size;`,
      ],
    ],
  },
  {
    file: 'lib/core/transactions/client-transaction.js',
    mark: '/* openum: unique branches */',
    edits: [['            return "z9hG4bK" + Math.floor(Math.random() * 10000000);', '            /* openum: unique branches */\n            return "z9hG4bK" + globalThis.crypto.randomUUID().replaceAll("-", "");']],
  },
  {
    file: 'lib/core/transactions/invite-client-transaction.js',
    mark: '/* openum: unique branches */',
    edits: [['        const id = "z9hG4bK" + Math.floor(Math.random() * 10000000);', '        /* openum: unique branches */\n        const id = "z9hG4bK" + globalThis.crypto.randomUUID().replaceAll("-", "");']],
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
  if (patch.mark.includes(' v') && text.includes(patch.mark.replace(/ v\d+ \*\/$/, ' v'))) {
    console.error(`patch-sip-js: ${file} carries another version of this openum patch; reinstall sip.js (npm ci) to apply ${patch.mark}`);
    process.exit(1);
  }
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
