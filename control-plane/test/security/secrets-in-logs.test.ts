// Secrets and personal data never reach the log. Known values go through real requests — a
// password (right and wrong), a session id, an API token, an enrollment token (minted, used,
// and a forged one), a client script sealed into a job, e-mail addresses (known and unknown
// at sign-in) — with the log at debug level, then the whole log output is searched for them.
// (The redaction rules themselves: test/unit/app-logger.test.ts.)
import { createCsr } from '@enclave/certs';
import { CreatedApiTokenSchema, EnrollmentTokenSchema, ProjectSchema } from '@enclave/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, sessionCookieValue } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
const secrets = new Map<string, string>();

beforeAll(async () => {
  t = await startTestAppliance({ env: { ENCLAVE_LOG_LEVEL: 'debug' } });
  const tenant = await t.createTenant('logs');
  const producer = await t.createUser(tenant, 'producer', 'Priya.Producer@logs-example.test');
  const admin = await t.createUser(tenant, 'it-admin', 'ivan.admin@logs-example.test');
  secrets.set('producer e-mail', 'priya.producer@logs-example.test');
  secrets.set('admin e-mail', 'ivan.admin@logs-example.test');
  secrets.set('password', producer.password);

  // Sign-ins: right, wrong password, unknown e-mail.
  const login = await t.api({
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email: producer.email, password: producer.password },
  });
  const session = sessionCookieValue(login) ?? '';
  secrets.set('session id', session);
  const wrongPassword = 'Wrong-Password-9f2c41d7e8';
  secrets.set('wrong password', wrongPassword);
  await t.api({
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email: producer.email, password: wrongPassword },
  });
  secrets.set('unknown e-mail', 'nobody.here@logs-example.test');
  await t.api({
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email: 'nobody.here@logs-example.test', password: wrongPassword },
  });

  // An API token: minted, used, used wrongly.
  const token = bodyOf(
    await t.api({ method: 'POST', path: '/api/v1/auth/tokens', cookie: session, body: { name: 'cli' } }),
    CreatedApiTokenSchema,
  ).token;
  secrets.set('API token', token);
  await t.api({ path: '/api/v1/auth/me', token });
  await t.api({ path: '/api/v1/auth/me', token: `${token.slice(0, -4)}AAAA` });

  // A client script, sealed into a job.
  const projectId = bodyOf(
    await t.api({ method: 'POST', path: '/api/v1/projects', token, body: { name: 'logged project' } }),
    ProjectSchema,
  ).projectId;
  const still = await t.createAsset(tenant, projectId, 'still.jpg');
  const script = 'Confidential launch script: Zephyr-7 ships on the ninth of March.';
  secrets.set('script', script);
  const job = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    token,
    body: {
      template: 'promo-video',
      params: { title: 'Launch', script, stills: [still] },
      idempotencyKey: 'log-1',
    },
  });
  expect(job.status, job.text).toBe(201);

  // An enrollment token: minted, used with a real CSR, and a forged one.
  const adminToken = await t.login(admin);
  const enrollment = bodyOf(
    await t.api({
      method: 'POST',
      path: '/api/v1/nodes/enrollment-tokens',
      cookie: adminToken,
      body: { nodeId: 'log-node', ttlHours: 1 },
    }),
    EnrollmentTokenSchema,
  ).token;
  secrets.set('enrollment token', enrollment);
  // enc1.<name>.<secret>.<pin>: the secret part alone must not appear either.
  secrets.set('enrollment token secret', enrollment.split('.')[2] ?? enrollment);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csrPem = createCsr({ privateKeyPem, profile: 'node', name: 'log-node' });
  for (const tokenText of [enrollment, enrollment.replace(/.{6}$/, 'AAAAAA')]) {
    await t.api({
      method: 'POST',
      path: '/api/v1/enroll',
      body: { token: tokenText, csrPem, capabilities: { gpus: [], cpuSlots: 1 } },
    });
  }
}, 120_000);

afterAll(() => t?.stop());

describe('secrets and personal data in the log', () => {
  it('the log is there and saw every request (so the search below can fail)', () => {
    const requests = t.logs.entries().filter((e) => e['msg'] === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(t.logs.text).toContain('/api/v1/enroll');
  });

  it('contains none of the seeded values', () => {
    const log = t.logs.text.toLowerCase();
    const found = [...secrets].filter(([, value]) => value.length >= 8 && log.includes(value.toLowerCase()));
    expect(found.map(([what]) => what)).toEqual([]);
  });
});
