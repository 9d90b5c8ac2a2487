// Data-subject rights end to end (privacy policy §10, §11): real SQLite, real asset store, real
// TLS, the real `bin/enclave` verifier processes. One scenario per right.
import {
  AssetSchema,
  AuditAction,
  AuditExportLineSchema,
  ContractError,
  ErasureCertificateSchema,
  ErrorCode,
  ErrorReplySchema,
  JobDetailSchema,
  PrivacyDecisionSchema,
  PrivacyRequestListSchema,
  PrivacyRequestSchema,
  ProjectSchema,
  decodeEnvelope,
  jobsTopic,
} from '@enclave/contracts';
import { DataKey, decryptBuffer, KeyKind } from '@enclave/crypto';
import { OutboxMessage } from '../../src/messaging/outbox-message.entity.ts';
import { RequestContext } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/sqlite';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionBytesCall, type BytesReply } from '../assets/bytes-client.ts';
import { bodyOf } from '../support/https-client.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';
import { AdminService } from '../../src/admin/admin.service.ts';

const run = promisify(execFile);
const ENCLAVE = join(import.meta.dirname, '..', '..', '..', 'bin', 'enclave');
const DAY = 86_400_000;

const clock = new ManualClock('2026-03-01T08:00:00.000Z');
let t: TestAppliance;
let tenant: string;
let dpo: TestUser;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('privacy');
  dpo = await t.createUser(tenant, 'dpo');
});
afterAll(() => t.stop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(ENCLAVE, args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function bytes(
  cookie: string,
  method: string,
  path: string,
  body?: Buffer,
  type?: string,
): Promise<BytesReply> {
  return sessionBytesCall(t, cookie, method, path, body, type !== undefined ? { 'content-type': type } : {});
}

interface Seeded {
  readonly user: TestUser;
  readonly cookie: string;
  readonly projectId: string;
  readonly assetId: string;
  readonly jobId: string;
}

/** A producer with a project, an uploaded file and a queued job. */
async function seedSubject(email: string, projectName: string): Promise<Seeded> {
  const user = await t.createUser(tenant, 'producer', email);
  const cookie = await t.login(user);
  const project = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie,
    body: { name: projectName },
  });
  const projectId = bodyOf(project, ProjectSchema).projectId;
  const uploaded = await bytes(
    cookie,
    'POST',
    `/api/v1/projects/${projectId}/assets?name=${projectName}-notes.txt`,
    Buffer.from(`notes of ${email}\n`),
    'text/plain',
  );
  expect(uploaded.status).toBe(201);
  const assetId = AssetSchema.parse(uploaded.json()).assetId;
  const job = await submitJob(cookie, projectId);
  expect(job.status, job.text).toBe(201);
  return { user, cookie, projectId, assetId, jobId: bodyOf(job, JobDetailSchema).jobId };
}

async function submitJob(cookie: string, projectId: string, params?: Record<string, unknown>) {
  return t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie,
    body: {
      template: 'transcode',
      params: params ?? { source: await t.createAsset(tenant, projectId, 'clip.mp4') },
      idempotencyKey: `privacy-${Math.random()}`,
    },
  });
}

async function dpoCookie(): Promise<string> {
  return t.login(dpo);
}

async function file(cookie: string, kind: string, subjectUserId?: string, notes?: string) {
  return t.api({
    method: 'POST',
    path: '/api/v1/privacy/requests',
    cookie,
    body: { kind, ...(subjectUserId ? { subjectUserId } : {}), ...(notes ? { notes } : {}) },
  });
}

async function verifyAndApprove(cookie: string, requestId: string) {
  const verified = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/verify-identity`,
    cookie,
    body: { method: 'corporate-email', notes: 'answered from the registered address' },
  });
  expect(verified.status, verified.text).toBe(200);
  const approved = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/approve`,
    cookie,
    body: {},
  });
  expect(approved.status, approved.text).toBe(200);
  return bodyOf(approved, PrivacyDecisionSchema);
}

describe('data-subject requests', () => {
  it('are filed, queued with a deadline and an overdue flag, verified, and kept per tenant', async () => {
    const client = await t.createUser(tenant, 'client-user');
    const clientCookie = await t.login(client);
    const other = await t.createUser(tenant, 'producer');

    const own = await file(clientCookie, 'access');
    expect(own.status, own.text).toBe(201);
    const filed = bodyOf(own, PrivacyRequestSchema);
    expect(filed.subjectUserId).toBe(client.userId);
    expect(new Date(filed.deadlineAt).getTime() - new Date(filed.createdAt).getTime()).toBe(30 * DAY);
    expect(filed.overdue).toBe(false);

    const forOther = await file(clientCookie, 'erasure', other.userId);
    expect(forOther.status).toBe(403);

    const cookie = await dpoCookie();
    const early = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/requests/${filed.requestId}/approve`,
      cookie,
      body: {},
    });
    expect(early.status).toBe(409);
    expect(bodyOf(early, ErrorReplySchema).message).toContain('Verify the requester');

    clock.advance(31 * DAY);
    const queue = bodyOf(
      await t.api({ path: '/api/v1/privacy/requests', cookie: await dpoCookie() }),
      PrivacyRequestListSchema,
    );
    expect(queue.items.find((r) => r.requestId === filed.requestId)?.overdue).toBe(true);

    const rejected = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/requests/${filed.requestId}/reject`,
      cookie: await dpoCookie(),
      body: { notes: 'duplicate of an earlier request' },
    });
    const done = bodyOf(rejected, PrivacyRequestSchema);
    expect(done.status).toBe('rejected');
    expect(done.overdue).toBe(false);
    expect(done.history.map((h) => h.status)).toEqual(['received', 'rejected']);

    const elsewhere = await t.createTenant('privacy-other');
    const otherDpo = await t.login(await t.createUser(elsewhere, 'dpo'));
    const foreign = await t.api({ path: `/api/v1/privacy/requests/${filed.requestId}`, cookie: otherDpo });
    expect(foreign.status).toBe(404);
    const unknownUser = await file(otherDpo, 'access', client.userId);
    expect(unknownUser.status).toBe(404);
  });
});

describe('restriction', () => {
  it('refuses new jobs on the subject’s projects with 409 until it is lifted', async () => {
    const subject = await seedSubject('restricted@example.test', 'restricted');
    const bystander = await seedSubject('bystander@example.test', 'bystander');
    const cookie = await dpoCookie();
    const requestId = bodyOf(
      await file(cookie, 'restriction', subject.user.userId),
      PrivacyRequestSchema,
    ).requestId;
    const decision = await verifyAndApprove(cookie, requestId);
    expect(decision.request.status).toBe('in-effect');

    const refused = await submitJob(subject.cookie, subject.projectId);
    expect(refused.status).toBe(409);
    const error = bodyOf(refused, ErrorReplySchema);
    expect(error.code).toBe(ErrorCode.PROCESSING_RESTRICTED);
    expect(error.message).toContain('restricted');
    expect(error.message).toContain(requestId);
    // another producer submitting on the subject's project is refused too; others' projects run
    expect((await submitJob(bystander.cookie, subject.projectId)).status).toBe(409);
    expect((await submitJob(bystander.cookie, bystander.projectId)).status).toBe(201);

    const lifted = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/requests/${requestId}/lift`,
      cookie,
      body: { notes: 'dispute settled' },
    });
    expect(bodyOf(lifted, PrivacyRequestSchema).status).toBe('lifted');
    expect((await submitJob(subject.cookie, subject.projectId)).status).toBe(201);
  });
});

describe('access', () => {
  it('exports everything about the subject and nothing of anyone else, once', async () => {
    const alice = await seedSubject('alice.access@example.test', 'alice-film');
    const bob = await seedSubject('bob.access@example.test', 'bob-film');
    const cookie = await dpoCookie();
    const requestId = bodyOf(await file(cookie, 'access', alice.user.userId), PrivacyRequestSchema).requestId;
    const decision = await verifyAndApprove(cookie, requestId);
    expect(decision.request.status).toBe('completed');
    const delivery = decision.export!;
    expect(delivery.key).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const download = await bytes(cookie, 'GET', `/api/v1/privacy/exports/${delivery.token}`);
    expect(download.status).toBe(200);
    expect(download.body.toString('latin1')).not.toContain('alice.access@example.test');
    const key = new DataKey(delivery.keyId, KeyKind.Subject, Buffer.from(delivery.key, 'base64'));
    const plain = (
      await decryptBuffer(download.body, {
        resolveKey: (id) => (id === key.keyId ? Promise.resolve(key) : Promise.reject(new Error(id))),
      })
    ).toString('utf8');
    const doc = JSON.parse(plain) as {
      subject: { userId: string; email: string };
      projects: { projectId: string }[];
      jobs: { jobId: string }[];
      assets: { assetId: string }[];
      auditEntries: { action: string }[];
      privacyRequests: { requestId: string }[];
      sessions: unknown[];
      consent: unknown[];
    };
    expect(doc.subject).toMatchObject({ userId: alice.user.userId, email: 'alice.access@example.test' });
    expect(plain).not.toContain('passwordHash');
    expect(plain).not.toMatch(/scrypt\$/);
    expect(doc.projects.map((p) => p.projectId)).toEqual([alice.projectId]);
    expect(doc.jobs.map((j) => j.jobId)).toEqual([alice.jobId]);
    expect(doc.assets.map((a) => a.assetId)).toContain(alice.assetId);
    expect(doc.auditEntries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        AuditAction.UserCreated,
        AuditAction.JobSubmitted,
        AuditAction.PrivacyRequestCreated,
      ]),
    );
    expect(doc.privacyRequests.map((r) => r.requestId)).toEqual([requestId]);
    expect(doc.sessions.length).toBeGreaterThan(0);
    expect(doc.consent).toEqual([]);
    for (const foreign of [
      bob.user.userId,
      bob.user.email,
      bob.projectId,
      bob.assetId,
      bob.jobId,
      dpo.userId,
    ]) {
      expect(plain).not.toContain(foreign);
    }

    const again = await bytes(cookie, 'GET', `/api/v1/privacy/exports/${delivery.token}`);
    expect(again.status).toBe(410);
    expect((again.json() as { code: string }).code).toBe(ErrorCode.GONE);
  });
});

describe('erasure', () => {
  it('crypto-shreds the subject’s data, pseudonymises the account and signs a certificate that verifies', async () => {
    const erin = await seedSubject('erin.erase@example.test', 'erin-film');
    const bob = await seedSubject('bob.erase@example.test', 'bob-kept');
    const cookie = await dpoCookie();
    const requestId = bodyOf(
      await file(cookie, 'erasure', erin.user.userId, 'leaving the client'),
      PrivacyRequestSchema,
    ).requestId;
    const decision = await verifyAndApprove(cookie, requestId);
    expect(decision.request.status).toBe('completed');

    // the subject's files answer 410; the bystander's are untouched
    expect((await bytes(bob.cookie, 'GET', `/api/v1/assets/${erin.assetId}/content`)).status).toBe(410);
    expect((await t.api({ path: `/api/v1/assets/${erin.assetId}`, cookie: bob.cookie })).status).toBe(410);
    expect((await bytes(bob.cookie, 'GET', `/api/v1/assets/${bob.assetId}/content`)).status).toBe(200);
    // signed out everywhere, and the old email no longer signs in
    expect((await t.api({ path: '/api/v1/auth/me', cookie: erin.cookie })).status).toBe(401);
    const login = await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: 'erin.erase@example.test', password: erin.user.password },
    });
    expect(login.status).toBe(401);

    const reply = await t.api({ path: `/api/v1/privacy/requests/${requestId}/certificate`, cookie });
    expect(reply.status, reply.text).toBe(200);
    const certificate = bodyOf(reply, ErasureCertificateSchema);
    expect(certificate.certificate.requestId).toBe(requestId);
    expect(certificate.certificate.subjectPseudonym).toMatch(/^erased-subject-/);
    // The project's DEK and the subject key that sealed the account's email and name.
    expect(certificate.certificate.destroyedKeyIds.length).toBe(2);
    expect(certificate.certificate.destroyedKeyIds.filter((id) => id.startsWith('sub_'))).toHaveLength(1);
    expect(reply.text).not.toContain('erin.erase@example.test');

    const certFile = join(t.dir, 'erasure-certificate.json');
    await writeFile(certFile, reply.text);
    const good = await cli(
      'erasure',
      'verify',
      certFile,
      '--public-key',
      join(t.config.ENCLAVE_DATA_DIR, 'audit-signing-key.pub.pem'),
    );
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('verifies');
    const forged = { ...certificate, certificate: { ...certificate.certificate, destroyedKeyIds: [] } };
    await writeFile(certFile, JSON.stringify(forged));
    const bad = await cli('erasure', 'verify', certFile);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does NOT verify');

    // the audit log still verifies and holds the entry the certificate names
    const exported = await t.api({ path: '/api/v1/audit/export', cookie });
    const auditFile = join(t.dir, 'privacy-audit.jsonl');
    await writeFile(auditFile, exported.text);
    const audit = await cli('audit', 'verify', auditFile);
    expect(audit.code, audit.stderr).toBe(0);
    const anchor = exported.text
      .trimEnd()
      .split('\n')
      .map((line) => AuditExportLineSchema.parse(JSON.parse(line)))
      .find((line) => line.type === 'entry' && line.entry.seq === certificate.certificate.auditSeq);
    expect(anchor?.type === 'entry' && anchor.entry.action).toBe(AuditAction.PrivacySubjectErased);
    expect(anchor?.type === 'entry' && anchor.entry.hash).toBe(certificate.certificate.auditHash);
    expect(exported.text).not.toContain('erin.erase@example.test');
  });
});

describe('card numbers', () => {
  const card = '4111 1111 1111 1111';

  it('are refused in project names, job parameters and request notes with a message that says why', async () => {
    const producer = await t.login(await t.createUser(tenant, 'producer'));
    const project = await t.api({
      method: 'POST',
      path: '/api/v1/projects',
      cookie: producer,
      body: { name: `pay ${card}` },
    });
    expect(project.status).toBe(400);
    const error = bodyOf(project, ErrorReplySchema);
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(JSON.stringify(error)).toContain('card numbers must not be entered');

    const ok = bodyOf(
      await t.api({
        method: 'POST',
        path: '/api/v1/projects',
        cookie: producer,
        body: { name: 'Order 1234567890' },
      }),
      ProjectSchema,
    );
    const job = await submitJob(producer, ok.projectId, {
      source: 'asset-x',
      title: `card ${card.replaceAll(' ', '-')}`,
    });
    expect(job.status).toBe(400);
    expect(JSON.stringify(bodyOf(job, ErrorReplySchema))).toContain('card numbers must not be entered');

    const notes = await file(await dpoCookie(), 'access', undefined, `paid with ${card.replaceAll(' ', '')}`);
    expect(notes.status).toBe(400);
  });
});

describe('minors', () => {
  it('a client-user without the 18+ attestation is refused; a discovered minor is erased', async () => {
    const admin = t.running.app.get(AdminService);
    const orm = t.running.app.get(MikroORM);
    const young = (attested: boolean) =>
      RequestContext.create(orm.em, () =>
        admin.createUser({
          tenant,
          email: `young-${attested}@example.test`,
          displayName: 'Young',
          role: 'client-user',
          password: 'a long enough password',
          adultAttested: attested,
        }),
      );
    const refused: unknown = await young(false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ContractError);
    expect((refused as ContractError).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((refused as ContractError).message).toContain('18 or older');
    await expect(young(true)).resolves.toMatchObject({ role: 'client-user' });

    // a node runs the minor's job, so the erasure also orders that node to forget its copies
    await t.registerNode('privacy-node-1', { gpus: [], cpuSlots: 64, tags: [] });
    await deliver(t.running, heartbeat('privacy-node-1', clock.now()));
    const minor = await seedSubject('minor@example.test', 'minor-film');
    const cookie = await dpoCookie();
    const reply = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/minor-discovered/${minor.user.userId}`,
      cookie,
    });
    expect(reply.status, reply.text).toBe(201);
    const decision = bodyOf(reply, PrivacyDecisionSchema);
    expect(decision.request).toMatchObject({
      kind: 'erasure',
      status: 'completed',
      subjectUserId: minor.user.userId,
    });
    expect((await t.api({ path: `/api/v1/assets/${minor.assetId}`, cookie })).status).toBe(410);
    expect((await t.api({ path: '/api/v1/auth/me', cookie: minor.cookie })).status).toBe(401);
    const certificate = bodyOf(
      await t.api({ path: `/api/v1/privacy/requests/${decision.request.requestId}/certificate`, cookie }),
      ErasureCertificateSchema,
    );
    expect(certificate.certificate.erased.find((e) => e.where.startsWith('node caches'))).toMatchObject({
      status: 'pending',
      ids: ['privacy-node-1'],
    });
    const orders = await orm.em
      .fork()
      .find(OutboxMessage, { type: 'erase.order', topic: jobsTopic('privacy-node-1') });
    expect(orders).toHaveLength(1);
    const order = decodeEnvelope(Buffer.from(orders[0]!.payload));
    // Nodes are told of the project keys only: the subject key never left the control plane.
    expect(order.type === 'erase.order' && order.body.keyIds).toEqual(
      certificate.certificate.destroyedKeyIds.filter((id) => !id.startsWith('sub_')),
    );
  });
});
