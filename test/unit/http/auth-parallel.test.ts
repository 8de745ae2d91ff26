// A burst of parallel wrong guesses must not all be checked before the first failure is counted.
import type { FastifyRequest } from 'fastify';
import { HttpAuthenticator } from '../../../src/http/auth/index.js';

function request(authorization: string, ip = '192.0.2.10'): FastifyRequest {
  return { headers: { authorization }, ip, log: { info() {}, warn() {} } } as unknown as FastifyRequest;
}
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('HttpAuthenticator under parallel attempts', () => {
  test('verifications under way count against the failure limit; a proven password is not hashed again', async () => {
    let checks = 0;
    const authenticator = new HttpAuthenticator({
      credentials: {
        verifyPassword: async (_alias, password) => {
          checks++;
          await new Promise((r) => setTimeout(r, 20));
          return password === 'right password';
        },
        verifyToken: async () => undefined,
      },
      findUserByName: (name) => (name.toLowerCase() === 'kim' ? 'kim' : undefined),
    });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => authenticator.authenticate(request(basic('kim', `guess ${i}`)))));
    expect(results.every((r) => r === undefined)).toBe(true);
    // At most the limit (5) were checked at once; the rest were refused unchecked, and kim is blocked now.
    expect(checks).toBeLessThanOrEqual(5);
    expect(() => authenticator.assertNotThrottled(request(basic('kim', 'guess')))).toThrow();

    const other = new HttpAuthenticator({
      credentials: { verifyPassword: async (_a, p) => (checks++, p === 'right password'), verifyToken: async () => undefined },
      findUserByName: (name) => (name === 'kim' ? 'kim' : undefined),
    });
    checks = 0;
    for (let i = 0; i < 10; i++) expect(await other.authenticate(request(basic('kim', 'right password')))).toBe('kim');
    expect(checks).toBe(1);
  });
});
