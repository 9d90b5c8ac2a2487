// Rectification (privacy policy §10, issue #7 item 1): the correction a request names is applied
// to the subject's profile on approval — the new name and email show in /auth/me, sign-in works
// with the new email and not the old one — and audited with old → new only in the entry's sealed
// details; the request row, the replies and the log never carry the values in clear.
// Real SQLite, real TLS, the real application.
import {
  AuditAction,
  CurrentUserSchema,
  ErrorCode,
  ErrorReplySchema,
  PrivacyDecisionSchema,
  PrivacyRequestSchema,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { DetailsSealer } from '../../src/audit/details-sealer.ts';
import { PrivacyRequest } from '../../src/privacy/privacy-request.entity.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const run = randomBytes(3).toString('hex');
const NEW_NAME = `Layla Haddad ${run}`;
const NEW_EMAIL = `layla.haddad.${run}@example.test`;

let t: TestAppliance;
let tenant: string;
let dpo: string;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('rectification');
  dpo = await t.login(await t.createUser(tenant, 'dpo'));
});
afterAll(() => t?.stop());

function file(cookie: string, body: Record<string, unknown>) {
  return t.api({ method: 'POST', path: '/api/v1/privacy/requests', cookie, body });
}

async function verifyAndApprove(requestId: string) {
  const verified = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/verify-identity`,
    cookie: dpo,
    body: { method: 'signed-in-session' },
  });
  expect(verified.status, verified.text).toBe(200);
  return t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/approve`,
    cookie: dpo,
    body: {},
  });
}

function em() {
  return t.running.app.get(MikroORM).em.fork();
}

describe('rectification', () => {
  it('refuses an empty correction and corrections on another kind; one without corrections is only recorded', async () => {
    const user = await t.createUser(tenant, 'client-user');
    const cookie = await t.login(user);
    const empty = await file(cookie, { kind: 'rectification', rectification: {} });
    expect(empty.status).toBe(400);
    expect(bodyOf(empty, ErrorReplySchema).message).toContain('displayName or email');
    const misplaced = await file(cookie, { kind: 'access', rectification: { displayName: 'X' } });
    expect(misplaced.status).toBe(400);
    expect(bodyOf(misplaced, ErrorReplySchema).message).toContain('only a rectification');

    // A correction made elsewhere (a project name): approval records it, the profile is unchanged.
    const bare = bodyOf(await file(cookie, { kind: 'rectification' }), PrivacyRequestSchema);
    expect(bare.rectifiedFields).toBeUndefined();
    const approved = await verifyAndApprove(bare.requestId);
    expect(bodyOf(approved, PrivacyDecisionSchema).request.status).toBe('completed');
    const me = bodyOf(await t.api({ path: '/api/v1/auth/me', cookie }), CurrentUserSchema);
    expect(me).toMatchObject({ email: user.email, displayName: user.email });
  });

  it('applies the corrected name and email, audits old → new sealed, and keeps the values out of the clear', async () => {
    const oldEmail = `old.${run}@example.test`;
    const subject: TestUser = await t.createUser(tenant, 'client-user', oldEmail);
    const cookie = await t.login(subject);
    const filed = await file(cookie, {
      kind: 'rectification',
      rectification: { displayName: NEW_NAME, email: NEW_EMAIL },
    });
    expect(filed.status, filed.text).toBe(201);
    const request = bodyOf(filed, PrivacyRequestSchema);
    expect(request.rectifiedFields).toEqual(['displayName', 'email']);
    expect(filed.text).not.toContain(NEW_NAME);
    expect(filed.text).not.toContain(NEW_EMAIL);
    // Waiting for approval, the correction is sealed in its row.
    const waiting = await em().findOneOrFail(PrivacyRequest, { id: request.requestId });
    expect(waiting.correction?.sealed).not.toBeNull();
    expect(JSON.stringify(waiting.correction)).not.toContain(NEW_EMAIL);
    expect(JSON.stringify(waiting.correction)).not.toContain('Layla');

    const approved = await verifyAndApprove(request.requestId);
    expect(approved.status, approved.text).toBe(200);
    expect(bodyOf(approved, PrivacyDecisionSchema).request.status).toBe('completed');
    expect(approved.text).not.toContain(NEW_EMAIL);

    const me = bodyOf(await t.api({ path: '/api/v1/auth/me', cookie }), CurrentUserSchema);
    expect(me).toMatchObject({ userId: subject.userId, displayName: NEW_NAME, email: NEW_EMAIL });
    await expect(t.login({ email: NEW_EMAIL, password: subject.password })).resolves.toBeTypeOf('string');
    const oldSignIn = await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: oldEmail, password: subject.password },
    });
    expect(oldSignIn.status).toBe(401);

    // The values left the request row once applied; the field names stay for the queue.
    const done = await em().findOneOrFail(PrivacyRequest, { id: request.requestId });
    expect(done.correction).toMatchObject({ fields: ['displayName', 'email'], sealed: null });

    // One audit entry: old → new only inside its sealed details.
    const entries = await em().find(AuditEntryRecord, { action: AuditAction.PrivacySubjectRectified });
    const entry = entries.find((e) => e.targets.includes(request.requestId));
    expect(entry).toBeDefined();
    const clear = JSON.stringify({ ...entry, details: undefined });
    for (const value of [NEW_NAME, NEW_EMAIL, oldEmail]) expect(clear).not.toContain(value);
    expect(JSON.stringify(entry?.details)).not.toContain(NEW_EMAIL);
    const details = await t.running.app
      .get(DetailsSealer)
      .open(
        { tenantId: tenant, action: AuditAction.PrivacySubjectRectified, subjectId: subject.userId },
        entry!.details!,
      );
    expect(details).toEqual({
      fields: ['displayName', 'email'],
      changes: {
        displayName: { old: oldEmail, new: NEW_NAME },
        email: { old: oldEmail, new: NEW_EMAIL },
      },
    });
    // The log names the fields, never the values.
    expect(t.logs.text).toContain('Rectification applied');
    for (const value of [NEW_NAME, NEW_EMAIL, oldEmail]) expect(t.logs.text).not.toContain(value);
  });

  it('refuses an email another account already uses with 409 and changes nothing', async () => {
    const taken = await t.createUser(tenant, 'producer', `taken.${run}@example.test`);
    const subject = await t.createUser(tenant, 'client-user');
    const cookie = await t.login(subject);
    const filed = await file(cookie, { kind: 'rectification', rectification: { email: taken.email } });
    const { requestId } = bodyOf(filed, PrivacyRequestSchema);
    const refused = await verifyAndApprove(requestId);
    expect(refused.status).toBe(409);
    expect(bodyOf(refused, ErrorReplySchema).code).toBe(ErrorCode.CONFLICT);
    const me = bodyOf(await t.api({ path: '/api/v1/auth/me', cookie }), CurrentUserSchema);
    expect(me.email).toBe(subject.email);
    const after = bodyOf(
      await t.api({ path: `/api/v1/privacy/requests/${requestId}`, cookie: dpo }),
      PrivacyRequestSchema,
    );
    expect(after.status).toBe('identity-verified');
  });
});
