// GET /api/v1/privacy/my-requests: a client user reads back the status of their own requests
// (and only theirs: neither another user's of the same tenant nor another tenant's appear).
import {
  ErrorCode,
  ErrorReplySchema,
  MyPrivacyRequestListSchema,
  PrivacyRequestSchema,
} from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const DAY = 86_400_000;
const clock = new ManualClock('2026-04-01T09:00:00.000Z');
let t: TestAppliance;
let tenant: string;
let dpo: string;
let dpoUser: TestUser;

beforeAll(async () => {
  t = await startTestAppliance({
    clock,
    env: { ENCLAVE_SESSION_IDLE_MINUTES: '1440', ENCLAVE_SESSION_ABSOLUTE_HOURS: '168' },
  });
  tenant = await t.createTenant('mine');
  dpoUser = await t.createUser(tenant, 'dpo');
  dpo = await t.login(dpoUser);
});
afterAll(() => t.stop());

async function file(cookie: string, kind: string): Promise<string> {
  const reply = await t.api({ method: 'POST', path: '/api/v1/privacy/requests', cookie, body: { kind } });
  return bodyOf(reply, PrivacyRequestSchema).requestId;
}

async function dpoDoes(requestId: string, step: 'verify-identity' | 'approve' | 'reject') {
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/${step}`,
    cookie: dpo,
    body: step === 'verify-identity' ? { method: 'signed-in-session' } : {},
  });
  expect(reply.status, reply.text).toBe(200);
}

const mine = async (cookie: string) =>
  bodyOf(await t.api({ path: '/api/v1/privacy/my-requests', cookie }), MyPrivacyRequestListSchema).items;

describe('my privacy requests', () => {
  it('shows a client user the later status of their own requests, newest first', async () => {
    const client = await t.createUser(tenant, 'client-user');
    const cookie = await t.login(client);
    expect(await mine(cookie)).toEqual([]);

    const access = await file(cookie, 'access');
    clock.advance(60_000);
    const erasure = await file(cookie, 'erasure');
    let items = await mine(cookie);
    expect(items.map((r) => [r.requestId, r.kind, r.status])).toEqual([
      [erasure, 'erasure', 'received'],
      [access, 'access', 'received'],
    ]);
    expect(items[1]).toMatchObject({
      createdAt: '2026-04-01T09:00:00.000Z',
      deadlineAt: new Date(Date.parse('2026-04-01T09:00:00.000Z') + 30 * DAY).toISOString(),
      overdue: false,
      finishedAt: null,
      certificateIssued: false,
    });
    // no history, no subject id: who handled it is the DPO's record
    expect(Object.keys(items[0] ?? {})).not.toContain('history');

    clock.advance(60_000);
    await dpoDoes(access, 'verify-identity');
    await dpoDoes(access, 'approve');
    await dpoDoes(erasure, 'reject');
    items = await mine(cookie);
    expect(items.find((r) => r.requestId === access)).toMatchObject({
      status: 'completed',
      finishedAt: '2026-04-01T09:02:00.000Z',
    });
    expect(items.find((r) => r.requestId === erasure)).toMatchObject({
      status: 'rejected',
      finishedAt: '2026-04-01T09:02:00.000Z',
      certificateIssued: false,
    });

    // an open request past its deadline is flagged (signed in afresh: the session has expired)
    const late = await file(cookie, 'rectification');
    clock.advance(31 * DAY);
    dpo = await t.login(dpoUser);
    expect((await mine(await t.login(client))).find((r) => r.requestId === late)).toMatchObject({
      status: 'received',
      overdue: true,
    });
  });

  it("never lists another user's requests, in this tenant or another", async () => {
    const alice = await t.login(await t.createUser(tenant, 'client-user'));
    const bob = await t.createUser(tenant, 'client-user');
    const bobCookie = await t.login(bob);
    const aliceRequest = await file(alice, 'access');
    // the DPO files about Bob: it is his request, not the DPO's
    const aboutBob = bodyOf(
      await t.api({
        method: 'POST',
        path: '/api/v1/privacy/requests',
        cookie: dpo,
        body: { kind: 'restriction', subjectUserId: bob.userId },
      }),
      PrivacyRequestSchema,
    ).requestId;
    const elsewhere = await t.login(await t.createUser(await t.createTenant('mine-b'), 'client-user'));
    const elsewhereRequest = await file(elsewhere, 'erasure');

    expect((await mine(alice)).map((r) => r.requestId)).toEqual([aliceRequest]);
    expect((await mine(bobCookie)).map((r) => r.requestId)).toEqual([aboutBob]);
    expect((await mine(elsewhere)).map((r) => r.requestId)).toEqual([elsewhereRequest]);

    // and the DPO's per-request routes stay closed to a client user (403, not Bob's data)
    const peek = await t.api({ path: `/api/v1/privacy/requests/${aboutBob}`, cookie: alice });
    expect(peek.status).toBe(403);
    expect(bodyOf(peek, ErrorReplySchema).code).toBe(ErrorCode.FORBIDDEN);
  });

  it('is for client users: other roles 403, no credential 401', async () => {
    for (const role of ['producer', 'it-admin', 'dpo'] as const) {
      const cookie = await t.login(await t.createUser(tenant, role));
      expect((await t.api({ path: '/api/v1/privacy/my-requests', cookie })).status, role).toBe(403);
    }
    expect((await t.api({ path: '/api/v1/privacy/my-requests' })).status).toBe(401);
  });
});
