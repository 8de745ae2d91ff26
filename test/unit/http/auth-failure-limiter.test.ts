// The failure limiter behind authentication throttling: block after N failures in the window, doubling
// back-off, expiry, and bounded memory. A fake clock; no sleeping.
import { FailureLimiter, parseAuthorizationHeader, userNameResolver } from '../../../src/http/auth/index.js';
import { InMemoryUmBackend } from './in-memory-um-backend.js';

function limiter(limits = {}) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new FailureLimiter({ maxFailures: 5, windowMs: 60_000, blockMs: 60_000, maxBlockMs: 240_000, maxEntries: 100, ...limits }, () => clock.now) };
}

describe('FailureLimiter', () => {
  test('blocks a key on its 5th failure within the window, for blockMs, and only that key', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 4; i++) expect(l.recordFailure('ip:a')).toBe(0);
    expect(l.blockedFor('ip:a')).toBe(0);
    expect(l.recordFailure('ip:a')).toBe(60_000);
    expect(l.blockedFor('ip:a')).toBe(60_000);
    expect(l.blockedFor('ip:b')).toBe(0);
    clock.now += 59_999;
    expect(l.blockedFor('ip:a')).toBe(1);
    clock.now += 1;
    expect(l.blockedFor('ip:a')).toBe(0);
  });

  test('failures spread wider than the window never block', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 20; i++) {
      expect(l.recordFailure('user:kim')).toBe(0);
      clock.now += 15_001; // four per minute
    }
  });

  test('each further block doubles, up to maxBlockMs; a long quiet spell forgets the key', () => {
    const { clock, limiter: l } = limiter();
    const blocks: number[] = [];
    for (let round = 0; round < 4; round++) {
      let block = 0;
      for (let i = 0; i < 5; i++) block = l.recordFailure('k');
      blocks.push(block);
      clock.now += block;
    }
    expect(blocks).toEqual([60_000, 120_000, 240_000, 240_000]);
    clock.now += 60_000 + 240_000;
    expect(l.size).toBe(1);
    expect(l.blockedFor('k')).toBe(0);
    expect(l.size).toBe(0);
    let first = 0;
    for (let i = 0; i < 5; i++) first = l.recordFailure('k');
    expect(first).toBe(60_000);
  });

  test('reset forgets a key', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) l.recordFailure('k');
    l.reset('k');
    expect(l.blockedFor('k')).toBe(0);
  });

  test('memory stays bounded by maxEntries under a flood of distinct keys, keeping the most recent', () => {
    const { clock, limiter: l } = limiter({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) {
      l.recordFailure(`ip:${i}`);
      if (i % 1000 === 0) clock.now += 1;
    }
    expect(l.size).toBeLessThanOrEqual(100);
    for (let i = 0; i < 4; i++) l.recordFailure('ip:9999');
    expect(l.blockedFor('ip:9999')).toBe(60_000);
  });

  test('expired entries are swept before recent ones are evicted', () => {
    const { clock, limiter: l } = limiter({ maxEntries: 10 });
    for (let i = 0; i < 5; i++) l.recordFailure('blocked');
    clock.now += 1;
    for (let i = 0; i < 8; i++) l.recordFailure(`old:${i}`);
    clock.now += 61_000; // the old:* windows are over; the block's strikes are still remembered
    for (let i = 0; i < 5; i++) l.recordFailure(`new:${i}`);
    expect(l.size).toBeLessThanOrEqual(10);
    let again = 0;
    for (let i = 0; i < 5; i++) again = l.recordFailure('blocked');
    expect(again).toBe(120_000); // the strike survived the sweep
  });
});

describe('parseAuthorizationHeader', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  test.each([
    [`Basic ${b64('kim:pa:ss')}`, { scheme: 'basic', userName: 'kim', password: 'pa:ss' }],
    [`basic ${b64('CONTOSO\\kim:x')}`, { scheme: 'basic', userName: 'CONTOSO\\kim', password: 'x' }],
    [`Basic ${b64('kim@contoso.com:pässwörd')}`, { scheme: 'basic', userName: 'kim@contoso.com', password: 'pässwörd' }],
    [`Basic ${b64('kim:')}`, { scheme: 'basic', userName: 'kim', password: '' }],
    ['Bearer openum_abc', { scheme: 'bearer', token: 'openum_abc' }],
  ])('reads %s', (header, expected) => {
    expect(parseAuthorizationHeader(header)).toEqual(expected);
  });

  test.each([undefined, '', 'Basic', `Basic ${b64('no-colon')}`, `Basic ${b64(':nouser')}`, 'Basic !!!', 'Digest username="kim"', 'Bearer a b'])('ignores %p', (header) => {
    expect(parseAuthorizationHeader(header)).toBeUndefined();
  });
});

describe('userNameResolver', () => {
  const backend = new InMemoryUmBackend();
  backend.addUser('Kim', 'Kim Akers', 'kim.akers@contoso.com');
  const find = userNameResolver(backend);
  test.each([['Kim', 'Kim'], ['kim', 'Kim'], ['CONTOSO\\kim', 'Kim'], ['kim.akers@contoso.com', 'Kim'], ['KIM.AKERS@CONTOSO.COM', 'Kim']])('%s → %s', (name, alias) => {
    expect(find(name)).toBe(alias);
  });
  test.each(['kim@contoso.com', 'lee', 'CONTOSO\\', ''])('%p → no user', (name) => {
    expect(find(name)).toBeUndefined();
  });
});
