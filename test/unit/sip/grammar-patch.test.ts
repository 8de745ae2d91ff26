import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Grammar } from 'sip.js/lib/grammar/index.js';

const require = createRequire(import.meta.url);
const grammarFile = join(dirname(require.resolve('sip.js/package.json')), 'lib/grammar/pegjs/dist/grammar.js');

describe('the SIP.js grammar patch (scripts/patch-sip-grammar.mjs, run after npm ci)', () => {
  test('is applied', () => {
    expect(readFileSync(grammarFile, 'utf8')).toContain('/* openum: memoised peg$decode */');
  });

  test('parsing still works, repeatedly, for several rules (the memoised bytecode is never mutated)', () => {
    for (let i = 0; i < 3; i++) {
      const uri = Grammar.URIParse(`sip:kim${i}@contoso.com;transport=tcp`);
      expect(uri?.user).toBe(`kim${i}`);
      expect(uri?.getParam('transport')).toBe('tcp');
      const nameAddr = Grammar.nameAddrHeaderParse(`"Kim ${i}" <sip:kim@contoso.com>;tag=a${i}`);
      expect(nameAddr?.displayName).toBe(`Kim ${i}`);
      expect(nameAddr?.getParam('tag')).toBe(`a${i}`);
    }
    expect(Grammar.URIParse('not a uri')).toBeUndefined();
  });
});
