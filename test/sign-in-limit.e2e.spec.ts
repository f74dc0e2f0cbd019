import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthService } from '#libs/auth';
import { startTestStack, TEST_PASSWORD, type TestStack } from './support/test-stack.js';

/**
 * The sign-in limit holds under parallel attempts: the attempt is consumed (atomically, in Redis)
 * before the password is verified. Its own stack: the per-address count of 127.0.0.1 is spent here.
 */
describe('sign-in limit under parallel attempts', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  const login = (email: string, password: string) => stack.http(null).post('/auth/login').send({ email, password });

  it('never counts successful sign-ins, neither per account nor per address', async () => {
    await stack.userToken('often@test.rbm', []);
    // 25 successes from one address: more than the address's 20 (4 x 5) and the account's 5 a minute.
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login('often@test.rbm', TEST_PASSWORD)).status);
    expect(statuses).toEqual(Array(25).fill(200));
  });

  it('lets at most 5 of 30 parallel wrong passwords reach the password check', async () => {
    await stack.userToken('victim@test.rbm', []);
    const auth = stack.api.get(AuthService);
    const verify = jest.spyOn(auth, 'verifyPassword');
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => login('victim@test.rbm', `wrong-guess-${i}`)),
      );
      const count = (status: number) => answers.filter((a) => a.status === status).length;
      // LOGIN_ATTEMPTS_PER_MINUTE = 5 per account: 5 attempts are checked (401), 25 refused before (429).
      expect({ checked: verify.mock.calls.length, 401: count(401), 429: count(429) }).toEqual({
        checked: 5,
        401: 5,
        429: 25,
      });
      expect(verify.mock.calls.every(([, password]) => password.startsWith('wrong-guess-'))).toBe(true);
      // The right password is refused too until the minute is over, and is not checked.
      const blocked = await login('victim@test.rbm', TEST_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(verify.mock.calls.length).toBe(5);
    } finally {
      verify.mockRestore();
    }
  });
});
