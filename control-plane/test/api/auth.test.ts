// Sign-in, sessions, lockout, CSRF and API tokens against the real application over HTTPS,
// with a clock the tests move by hand.
import {
  ApiTokenListSchema,
  CreatedApiTokenSchema,
  CurrentUserSchema,
  ErrorCode,
  ErrorReplySchema,
  LoginReplySchema,
} from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionHousekeeping } from '../../src/auth/session-housekeeping.ts';
import { bodyOf, sessionCookieValue, setCookieOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const clock = new ManualClock();
let t: TestAppliance;
let tenant: string;
let alice: TestUser;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('acme');
  alice = await t.createUser(tenant, 'producer');
});
afterAll(() => t.stop());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email, password }, headers });
const me = (cookie: string) => t.api({ path: '/api/v1/auth/me', cookie });

function expectError(
  reply: { status: number; json: unknown; text: string },
  status: number,
  code: ErrorCode,
) {
  expect(reply.status, reply.text).toBe(status);
  expect(bodyOf(reply as never, ErrorReplySchema).code).toBe(code);
}

describe('sign-in', () => {
  it('sets a __Host- session cookie that is HttpOnly, Secure and SameSite=Strict, and /me works with it', async () => {
    const reply = await login(alice.email.toUpperCase(), alice.password);
    expect(reply.status).toBe(200);
    expect(bodyOf(reply, LoginReplySchema)).toMatchObject({
      userId: alice.userId,
      tenantId: tenant,
      role: 'producer',
    });
    const cookie = setCookieOf(reply)!;
    expect(cookie).toMatch(/^__Host-enclave_session=[A-Za-z0-9_-]{43}; /);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/'])
      expect(cookie).toContain(attribute);
    expect(cookie).not.toMatch(/Domain=/i);
    const who = await me(sessionCookieValue(reply)!);
    expect(bodyOf(who, CurrentUserSchema)).toMatchObject({ userId: alice.userId, via: 'session' });
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    const user = await t.createUser(tenant, 'dpo');
    const wrong = await login(user.email, 'not the password');
    const unknown = await login('nobody@example.test', 'not the password');
    expectError(wrong, 401, ErrorCode.UNAUTHENTICATED);
    expectError(unknown, 401, ErrorCode.UNAUTHENTICATED);
    expect(bodyOf(wrong, ErrorReplySchema).message).toBe(bodyOf(unknown, ErrorReplySchema).message);
    expect(setCookieOf(wrong)).toBeUndefined();
  });

  it('locks an account after 5 failures, with a doubling back-off and Retry-After', async () => {
    const user = await t.createUser(tenant, 'producer');
    for (let i = 1; i <= 4; i++)
      expectError(await login(user.email, `wrong ${i}`), 401, ErrorCode.UNAUTHENTICATED);
    const fifth = await login(user.email, 'wrong 5');
    expectError(fifth, 429, ErrorCode.RATE_LIMITED);
    expect(fifth.headers['retry-after']).toBe('60');
    expect(bodyOf(fifth, ErrorReplySchema).message).toMatch(/locked until .*Try again in 60 seconds/);

    // Locked: even the right password is refused, and it does not count as a failure.
    clock.advance(30_000);
    const whileLocked = await login(user.email, user.password);
    expectError(whileLocked, 429, ErrorCode.RATE_LIMITED);
    expect(whileLocked.headers['retry-after']).toBe('30');

    // After the lock, another failure locks again for twice as long.
    clock.advance(31_000);
    const sixth = await login(user.email, 'wrong 6');
    expectError(sixth, 429, ErrorCode.RATE_LIMITED);
    expect(sixth.headers['retry-after']).toBe('120');

    clock.advance(121_000);
    expect((await login(user.email, user.password)).status).toBe(200);
    // Success reset the count: one new failure is a plain 401 again.
    expectError(await login(user.email, 'wrong again'), 401, ErrorCode.UNAUTHENTICATED);
  });

  it('refuses a sign-in that a browser marks as cross-site', async () => {
    const reply = await login(alice.email, alice.password, { 'sec-fetch-site': 'cross-site' });
    expectError(reply, 403, ErrorCode.FORBIDDEN);
  });
});

describe('sessions', () => {
  it('logout ends the session and clears the cookie', async () => {
    const cookie = await t.login(alice);
    const out = await t.api({ method: 'POST', path: '/api/v1/auth/logout', cookie });
    expect(out.status).toBe(204);
    expect(setCookieOf(out)).toMatch(/__Host-enclave_session=; .*Max-Age=0/);
    expectError(await me(cookie), 401, ErrorCode.UNAUTHENTICATED);
  });

  it("logout-all ends every session of the user and no one else's", async () => {
    const bob = await t.createUser(tenant, 'producer');
    const [a1, a2, b1] = [await t.login(alice), await t.login(alice), await t.login(bob)];
    expect((await t.api({ method: 'POST', path: '/api/v1/auth/logout-all', cookie: a1 })).status).toBe(204);
    expectError(await me(a1), 401, ErrorCode.UNAUTHENTICATED);
    expectError(await me(a2), 401, ErrorCode.UNAUTHENTICATED);
    expect((await me(b1)).status).toBe(200);
  });

  it('never accepts a session id the client chose (no fixation), and rotates on sign-in', async () => {
    const planted = 'A'.repeat(43);
    const reply = await login(alice.email, alice.password, { cookie: `__Host-enclave_session=${planted}` });
    const issued = sessionCookieValue(reply)!;
    expect(issued).not.toBe(planted);
    expectError(await me(planted), 401, ErrorCode.UNAUTHENTICATED);

    const again = await login(alice.email, alice.password, { cookie: `__Host-enclave_session=${issued}` });
    expect(sessionCookieValue(again)).not.toBe(issued);
    expectError(await me(issued), 401, ErrorCode.UNAUTHENTICATED);
  });

  it('ends a session after the idle limit, and after the absolute limit however active', async () => {
    const idle = await t.login(alice);
    clock.advance(31 * 60_000);
    expectError(await me(idle), 401, ErrorCode.UNAUTHENTICATED);

    const busy = await t.login(alice);
    for (let hour = 0; hour < 12; hour++) {
      clock.advance(20 * 60_000);
      expect((await me(busy)).status).toBe(200);
      clock.advance(20 * 60_000);
      expect((await me(busy)).status).toBe(200);
      clock.advance(20 * 60_000);
      if (hour < 11) expect((await me(busy)).status).toBe(200);
    }
    expectError(await me(busy), 401, ErrorCode.UNAUTHENTICATED);
  });
});

describe('session housekeeping', () => {
  it('deletes sessions nobody presented again once idle, and keeps live ones', async () => {
    const forgotten = await t.login(alice);
    clock.advance(20 * 60_000);
    const live = await t.login(alice);
    clock.advance(15 * 60_000); // forgotten: idle 35 min; live: 15 min
    expect(await t.running.app.get(SessionHousekeeping).run()).toBeGreaterThanOrEqual(1);
    expect((await me(live)).status).toBe(200);
    expectError(await me(forgotten), 401, ErrorCode.UNAUTHENTICATED);
  });
});

describe('CSRF defence for cookie-authenticated changes', () => {
  const create = (cookie: string, headers: Record<string, string>) =>
    t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: 'csrf' }, headers });

  it('refuses a cookie POST without Origin or Sec-Fetch-Site, or from another site', async () => {
    const cookie = await t.login(alice);
    const bare = await create(cookie, { origin: '' });
    expectError(bare, 403, ErrorCode.FORBIDDEN);
    expect(bodyOf(bare, ErrorReplySchema).message).toContain('neither Sec-Fetch-Site nor Origin');
    expectError(await create(cookie, { origin: 'https://evil.example' }), 403, ErrorCode.FORBIDDEN);
    expectError(await create(cookie, { 'sec-fetch-site': 'cross-site' }), 403, ErrorCode.FORBIDDEN);
    expectError(await create(cookie, { 'sec-fetch-site': 'same-site' }), 403, ErrorCode.FORBIDDEN);
    expect((await create(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await create(cookie, {})).status).toBe(201); // same Origin (set by the test client)
  });
});

describe('API tokens', () => {
  it('are shown once, work as Bearer without CSRF headers, cannot mint tokens, and stop when revoked', async () => {
    const cookie = await t.login(alice);
    const created = await t.api({
      method: 'POST',
      path: '/api/v1/auth/tokens',
      cookie,
      body: { name: 'laptop' },
    });
    expect(created.status).toBe(201);
    const token = bodyOf(created, CreatedApiTokenSchema);
    expect(token.token).toMatch(/^enc_pat_[A-Za-z0-9_-]{43}$/);

    const listed = await t.api({ path: '/api/v1/auth/tokens', cookie });
    expect(listed.text).not.toContain(token.token);
    expect(bodyOf(listed, ApiTokenListSchema).items.map((i) => i.tokenId)).toContain(token.tokenId);

    const who = await t.api({ path: '/api/v1/auth/me', token: token.token });
    expect(bodyOf(who, CurrentUserSchema)).toMatchObject({ userId: alice.userId, via: 'token' });
    expect(
      (await t.api({ method: 'POST', path: '/api/v1/projects', token: token.token, body: { name: 'cli' } }))
        .status,
    ).toBe(201);

    const minted = await t.api({
      method: 'POST',
      path: '/api/v1/auth/tokens',
      token: token.token,
      body: { name: 'x' },
    });
    expectError(minted, 403, ErrorCode.FORBIDDEN);

    const revoke = await t.api({ method: 'DELETE', path: `/api/v1/auth/tokens/${token.tokenId}`, cookie });
    expect(revoke.status).toBe(204);
    expectError(await t.api({ path: '/api/v1/auth/me', token: token.token }), 401, ErrorCode.UNAUTHENTICATED);
  });

  it('refuses a malformed, unknown or expired token, and logout with a token revokes it', async () => {
    expectError(
      await t.api({ path: '/api/v1/auth/me', headers: { authorization: 'Basic abc' } }),
      401,
      ErrorCode.UNAUTHENTICATED,
    );
    expectError(
      await t.api({ path: '/api/v1/auth/me', token: `enc_pat_${'x'.repeat(43)}` }),
      401,
      ErrorCode.UNAUTHENTICATED,
    );

    const cookie = await t.login(alice);
    const short = bodyOf(
      await t.api({
        method: 'POST',
        path: '/api/v1/auth/tokens',
        cookie,
        body: { name: 'short', expiresInDays: 1 },
      }),
      CreatedApiTokenSchema,
    );
    const other = bodyOf(
      await t.api({ method: 'POST', path: '/api/v1/auth/tokens', cookie, body: { name: 'other' } }),
      CreatedApiTokenSchema,
    );
    expect((await t.api({ method: 'POST', path: '/api/v1/auth/logout', token: other.token })).status).toBe(
      204,
    );
    expectError(await t.api({ path: '/api/v1/auth/me', token: other.token }), 401, ErrorCode.UNAUTHENTICATED);

    clock.advance(24 * 3_600_000 + 1000);
    expectError(await t.api({ path: '/api/v1/auth/me', token: short.token }), 401, ErrorCode.UNAUTHENTICATED);
  });
});
