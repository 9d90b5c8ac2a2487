// The shape of every failure: a contracts error code, a message, a correlation id that is also
// in the log and the x-correlation-id header, field paths for bad input — and never a stack
// trace. Also: the security headers, and that secrets never reach the log.
import { CreatedApiTokenSchema, ErrorCode, ErrorReplySchema, HealthSchema } from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/http/security-headers.ts';
import { bodyOf, sessionCookieValue, type HttpReply } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

let t: TestAppliance;
let user: TestUser;
let cookie: string;
const replies: HttpReply[] = [];

beforeAll(async () => {
  t = await startTestAppliance();
  user = await t.createUser(await t.createTenant('errors'), 'producer');
  cookie = await t.login(user);
});
afterAll(() => t.stop());

function refused(reply: HttpReply, status: number, code: ErrorCode) {
  replies.push(reply);
  expect(reply.status, reply.text).toBe(status);
  const body = bodyOf(reply, ErrorReplySchema);
  expect(body.code).toBe(code);
  expect(body.correlationId).toBe(reply.headers['x-correlation-id']);
  return body;
}

describe('error replies', () => {
  it('400 VALIDATION_FAILED names each bad field by path', async () => {
    const body = refused(
      await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: 7, colour: 'red' } }),
      400,
      ErrorCode.VALIDATION_FAILED,
    );
    expect(body.fields?.find((f) => f.path === 'body.name')?.message).toMatch(/string/);
    expect(body.fields?.find((f) => f.path === 'body')?.message).toMatch(/colour/);
    const login = refused(
      await t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email: 'not-an-email' } }),
      400,
      ErrorCode.VALIDATION_FAILED,
    );
    expect(login.fields?.map((f) => f.path).sort()).toEqual(['body.email', 'body.password']);
    const query = refused(
      await t.api({ path: '/api/v1/projects?limit=9999', cookie }),
      400,
      ErrorCode.VALIDATION_FAILED,
    );
    expect(query.fields?.[0]?.path).toBe('query.limit');
    const param = refused(
      await t.api({ path: '/api/v1/projects/bad%20id!', cookie }),
      400,
      ErrorCode.VALIDATION_FAILED,
    );
    expect(param.fields?.[0]?.path).toBe('params.projectId');
  });

  it('400 MALFORMED_PAYLOAD for a body that is not JSON', async () => {
    refused(
      await t.api({ method: 'POST', path: '/api/v1/auth/login', body: '{"email": ' }),
      400,
      ErrorCode.MALFORMED_PAYLOAD,
    );
  });

  it('404 NOT_FOUND in the same shape for unknown routes and methods', async () => {
    refused(await t.api({ path: '/api/v1/nothing-here' }), 404, ErrorCode.NOT_FOUND);
    refused(await t.api({ method: 'PUT', path: '/api/v1/projects', cookie }), 404, ErrorCode.NOT_FOUND);
    refused(await t.api({ path: '/' }), 404, ErrorCode.NOT_FOUND);
  });

  it('413 PAYLOAD_TOO_LARGE above the body limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(t.config.ENCLAVE_BODY_LIMIT_BYTES) });
    refused(
      await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: big }),
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
    );
  });

  it('never includes a stack trace or a source path', () => {
    expect(replies.length).toBeGreaterThan(5);
    for (const reply of replies) {
      expect(reply.text).not.toMatch(/\bat .+:\d+:\d+|\.ts\b|node_modules|stack/i);
    }
  });
});

describe('correlation ids', () => {
  it("echoes a well-formed caller id, in the reply and in that request's log lines", async () => {
    const id = 'cli-run-0001:step-7';
    const reply = await t.api({ path: '/api/v1/projects/nope', cookie, headers: { 'x-correlation-id': id } });
    const body = refused(reply, 404, ErrorCode.NOT_FOUND);
    expect(body.correlationId).toBe(id);
    const lines = t.logs.entries().filter((e) => e['correlationId'] === id);
    expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['Request refused', 'request']));
  });

  it('replaces an ill-formed one with its own', async () => {
    const reply = await t.api({
      path: '/api/v1/health',
      headers: { 'x-correlation-id': 'bad id; drop table' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers', () => {
  it('are on success and error replies alike', async () => {
    for (const reply of [await t.api({ path: '/api/v1/health' }), await t.api({ path: '/api/v1/nothing' })]) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(reply.headers[name.toLowerCase()]).toBe(value);
      expect(reply.headers['x-powered-by']).toBeUndefined();
    }
    bodyOf(await t.api({ path: '/api/v1/health' }), HealthSchema);
  });
});

describe('logging', () => {
  it('never writes a password, a session id or an API token', async () => {
    const login = await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: user.email, password: user.password },
    });
    const session = sessionCookieValue(login)!;
    const token = bodyOf(
      await t.api({
        method: 'POST',
        path: '/api/v1/auth/tokens',
        cookie: session,
        body: { name: 'log-check' },
      }),
      CreatedApiTokenSchema,
    ).token;
    await t.api({ path: '/api/v1/auth/me', token });
    await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: user.email, password: `${user.password}!` },
    });
    const text = t.logs.text;
    expect(text).toContain('Signed in');
    for (const secret of [user.password, session, cookie, token, token.slice('enc_pat_'.length)]) {
      expect(text).not.toContain(secret);
    }
  });
});
