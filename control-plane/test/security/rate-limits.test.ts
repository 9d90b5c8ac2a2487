// Per-address rate limits on the two public routes that take a guessable secret: sign-in
// (ENCLAVE_LOGIN_RATE_PER_MINUTE) and node enrollment (ENCLAVE_ENROLL_RATE_PER_MINUTE). Over the
// limit the answer is 429 RATE_LIMITED with Retry-After, before any password or token is checked,
// and the window reopens after a minute. (Account lockout: test/api/auth.test.ts.)
import { ErrorCode, ErrorReplySchema } from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, type HttpReply } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, TEST_PASSWORD, type TestAppliance } from '../support/test-appliance.ts';

const clock = new ManualClock();
let t: TestAppliance;
let email: string;

beforeAll(async () => {
  t = await startTestAppliance({
    clock,
    env: { ENCLAVE_LOGIN_RATE_PER_MINUTE: '3', ENCLAVE_ENROLL_RATE_PER_MINUTE: '2' },
  });
  email = (await t.createUser(await t.createTenant('limits'), 'producer')).email;
});
afterAll(() => t?.stop());

const signIn = (password: string) =>
  t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email, password } });

const enroll = () =>
  t.api({
    method: 'POST',
    path: '/api/v1/enroll',
    body: { token: 'enc1.nobody.x.y', csrPem: 'unread', capabilities: { gpus: [], cpuSlots: 1 } },
  });

function expectLimited(reply: HttpReply): void {
  expect(reply.status, reply.text).toBe(429);
  expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.RATE_LIMITED);
  const retryAfter = Number(reply.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('rate limits per client address', () => {
  it('sign-in: the 4th attempt in a minute is 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('wrong password ' + i)).status).toBe(401);
    expectLimited(await signIn(TEST_PASSWORD));
    clock.advance(61_000);
    expect((await signIn(TEST_PASSWORD)).status).toBe(200);
  });

  it('enrollment: the 3rd attempt in a minute is 429 with Retry-After', async () => {
    for (let i = 0; i < 2; i++) expect((await enroll()).status).not.toBe(429);
    expectLimited(await enroll());
    clock.advance(61_000);
    expect((await enroll()).status).not.toBe(429);
  });
});
