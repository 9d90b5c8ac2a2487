// Issue #7 gaps, on a real SQLite file and the real broker, with a scripted agent that holds its
// tasks (node-rdkafka, its own enrolled certificate and key):
// - a restriction cancels the subject's queued and running jobs before the approve reply: the
//   running task's node gets a task.cancel (reason `restriction`, the assignment's epoch) over
//   Kafka, and a new job on the project is 409 PROCESSING_RESTRICTED naming the request;
// - an erasure cancels the subject's running job the same way (reason `erasure`) before the keys
//   go; its erase order, unanswered by a silent node, is sent again (same order id) while the
//   certificate and the DPO's view list the node as pending; once the node is back (heartbeats)
//   and answers, its signed receipt is recorded and the certificate is complete and verifies.
import {
  AuditAction,
  ErasureCertificateSchema,
  ErrorCode,
  ErrorReplySchema,
  JobDetailSchema,
  NodeListSchema,
  PrivacyDecisionSchema,
  PrivacyRequestSchema,
  ProjectSchema,
  type ErasureCertificate,
  type JobDetail,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { verifyErasureCertificate } from '../../src/privacy/erasure-certificate.ts';
import { startE2eAppliance } from '../e2e-support/e2e-appliance.ts';
import { enrollNode, ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import type { TestAppliance, TestUser } from '../support/test-appliance.ts';

const run = randomBytes(3).toString('hex');

let t: TestAppliance;
let dir: string;
let tenant: string;
let dpo: string;
let agent: ScriptedAgent;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-privacy-stop-'));
  // Erase orders re-sent after 1 s (then 2 s, 4 s, …), up to 20 sends.
  t = await startE2eAppliance(run, {
    ENCLAVE_ERASE_ORDER_RETRY_MS: '1000',
    ENCLAVE_ERASE_ORDER_MAX_ATTEMPTS: '20',
  });
  tenant = await t.createTenant(`privacy-stop-${run}`);
  const admin = await t.login(await t.createUser(tenant, 'it-admin'));
  dpo = await t.login(await t.createUser(tenant, 'dpo'));
  // One slot: a second job of the subject waits queued behind the first.
  agent = new ScriptedAgent(await enrollNode(t, admin, `e2e-${run}-a`, dir, 1), 'hold');
  await agent.start();
  await waitFor(
    'the node online',
    async () => {
      const nodes = bodyOf(await t.api({ path: '/api/v1/nodes', cookie: admin }), NodeListSchema);
      return nodes.items.find((n) => n.nodeId === agent.nodeId)?.status === 'online';
    },
    30_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function subjectWithProject(role: 'producer' | 'client-user' = 'producer') {
  const user: TestUser = await t.createUser(tenant, role);
  const cookie = await t.login(user);
  const project = await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: 'p' } });
  return { user, cookie, projectId: bodyOf(project, ProjectSchema).projectId };
}

function submit(cookie: string, projectId: string, source: string) {
  return t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie,
    body: {
      template: 'transcode',
      params: { source },
      idempotencyKey: `stop-${randomBytes(6).toString('hex')}`,
    },
  });
}

async function job(cookie: string, jobId: string): Promise<JobDetail> {
  return bodyOf(await t.api({ path: `/api/v1/jobs/${jobId}`, cookie }), JobDetailSchema);
}

async function approve(kind: string, subjectUserId: string) {
  const filed = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/requests',
    cookie: dpo,
    body: { kind, subjectUserId },
  });
  const { requestId } = bodyOf(filed, PrivacyRequestSchema);
  const verified = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/verify-identity`,
    cookie: dpo,
    body: { method: 'in-person' },
  });
  expect(verified.status, verified.text).toBe(200);
  const approved = await t.api({
    method: 'POST',
    path: `/api/v1/privacy/requests/${requestId}/approve`,
    cookie: dpo,
    body: {},
  });
  expect(approved.status, approved.text).toBe(200);
  return { requestId, decision: bodyOf(approved, PrivacyDecisionSchema) };
}

/** Submits a job and waits until the agent holds its task (accepted: the job runs). */
async function runningJob(cookie: string, projectId: string): Promise<JobDetail> {
  const reply = await submit(cookie, projectId, await t.createAsset(tenant, projectId, 'clip.mp4'));
  expect(reply.status, reply.text).toBe(201);
  const { jobId } = bodyOf(reply, JobDetailSchema);
  await waitFor('the task assigned', () => agent.assigns.some((a) => a.body.jobId === jobId), 30_000, 100);
  await waitFor('the job running', async () => (await job(cookie, jobId)).state === 'running', 30_000, 100);
  return job(cookie, jobId);
}

async function auditCount(action: string, target: string): Promise<number> {
  const rows = await t.running.app.get(MikroORM).em.fork().find(AuditEntryRecord, { action });
  return rows.filter((r) => r.targets.includes(target)).length;
}

async function certificate(requestId: string): Promise<{ text: string; c: ErasureCertificate }> {
  const reply = await t.api({ path: `/api/v1/privacy/requests/${requestId}/certificate`, cookie: dpo });
  expect(reply.status, reply.text).toBe(200);
  return { text: reply.text, c: bodyOf(reply, ErasureCertificateSchema) };
}

describe('restriction stops running work', () => {
  it('cancels the subject’s running and queued jobs over Kafka before replying, and refuses new ones', async () => {
    const subject = await subjectWithProject();
    const running = await runningJob(subject.cookie, subject.projectId);
    const assign = agent.assigns.find((a) => a.body.jobId === running.jobId)!;
    // the node's one slot is taken: this one waits in the queue
    const queuedReply = await submit(
      subject.cookie,
      subject.projectId,
      await t.createAsset(tenant, subject.projectId, 'clip2.mp4'),
    );
    const queued = bodyOf(queuedReply, JobDetailSchema);
    expect(queued.state).toBe('queued');

    const { requestId, decision } = await approve('restriction', subject.user.userId);
    expect(decision.request.status).toBe('in-effect');
    // Cancelled in the books before the reply came back: no waiting here.
    for (const jobId of [running.jobId, queued.jobId]) {
      const after = await job(subject.cookie, jobId);
      expect(after.state, jobId).toBe('cancelled');
      expect(after.tasks.every((task) => task.state === 'cancelled')).toBe(true);
    }
    expect(await auditCount(AuditAction.PrivacyJobsCancelled, requestId)).toBe(1);

    // The node holding the running task is told over Kafka, fenced by the assignment's epoch.
    await waitFor('task.cancel on the node', () =>
      agent.cancels.some((c) => c.body.taskId === assign.body.taskId),
    );
    const cancel = agent.cancels.find((c) => c.body.taskId === assign.body.taskId)!;
    expect(cancel.body).toMatchObject({
      jobId: running.jobId,
      epoch: assign.body.epoch,
      reason: 'restriction',
    });
    // The queued job's task was never placed, so nothing went to any node for it.
    expect(agent.assigns.some((a) => a.body.jobId === queued.jobId)).toBe(false);

    const refused = await submit(
      subject.cookie,
      subject.projectId,
      await t.createAsset(tenant, subject.projectId, 'clip3.mp4'),
    );
    expect(refused.status).toBe(409);
    const error = bodyOf(refused, ErrorReplySchema);
    expect(error.code).toBe(ErrorCode.PROCESSING_RESTRICTED);
    expect(error.message).toContain(requestId);
    expect(error.message).toContain('restriction');
  }, 90_000);
});

describe('erasure stops running work and re-sends its erase order to a silent node', () => {
  it('cancels the job, re-sends the order until the node is back and answers, then the certificate is complete', async () => {
    const subject = await subjectWithProject();
    const running = await runningJob(subject.cookie, subject.projectId);
    const assigned = agent.assigns.filter((a) => a.body.jobId === running.jobId);

    // The node stops heartbeating and does not answer erase orders (it still reads its topic).
    agent.goSilent();
    const { requestId, decision } = await approve('erasure', subject.user.userId);
    expect(decision.request.status).toBe('completed');
    expect((await job(dpo, running.jobId)).state).toBe('cancelled');
    await waitFor('task.cancel (erasure) on the node', () =>
      agent.cancels.some((c) => c.body.jobId === running.jobId && c.body.reason === 'erasure'),
    );
    const cancel = agent.cancels.find((c) => c.body.jobId === running.jobId && c.body.reason === 'erasure')!;
    expect(assigned.map((a) => a.body.epoch)).toContain(cancel.body.epoch);

    // Pending: the certificate and the DPO's view name the node.
    const first = await certificate(requestId);
    expect(first.c.certificate.pendingNodes).toEqual([agent.nodeId]);
    const orderId = first.c.certificate.nodeReceipts?.[0]?.orderId;
    expect(orderId).toBeDefined();
    const view = bodyOf(
      await t.api({ path: `/api/v1/privacy/requests/${requestId}`, cookie: dpo }),
      PrivacyRequestSchema,
    );
    expect(view.pendingNodes).toEqual([agent.nodeId]);

    // Unanswered, the same order goes out again (timer, after 1 s).
    await waitFor(
      'the erase order sent again',
      () => agent.eraseOrders.filter((o) => o.body.orderId === orderId).length >= 2,
      30_000,
      100,
    );
    const resent = await certificate(requestId);
    expect(resent.c.certificate.nodeReceipts?.[0]).toMatchObject({ status: 'pending' });
    expect(resent.c.certificate.nodeReceipts?.[0]?.attempts).toBeGreaterThanOrEqual(2);
    expect(await auditCount(AuditAction.PrivacyEraseOrderResent, orderId!)).toBeGreaterThanOrEqual(1);

    // Back online: it heartbeats, is sent the order again and answers with a signed receipt.
    const seenBefore = agent.eraseOrders.length;
    agent.answerEraseOrders();
    agent.resume();
    await waitFor(
      'the receipt recorded',
      async () => (await certificate(requestId)).c.certificate.pendingNodes?.length === 0,
      30_000,
      200,
    );
    expect(agent.eraseOrders.length).toBeGreaterThan(seenBefore);
    const done = await certificate(requestId);
    expect(done.c.certificate.nodeReceipts).toEqual([
      expect.objectContaining({ nodeId: agent.nodeId, orderId, status: 'erased' }),
    ]);
    expect(done.c.certificate.erased.find((e) => e.what === 'cached copies on GPU nodes')?.status).toBe(
      'done',
    );
    expect(verifyErasureCertificate(done.text, undefined, t.ca.intermediateCertPem)).toMatchObject({
      ok: true,
    });
    const after = bodyOf(
      await t.api({ path: `/api/v1/privacy/requests/${requestId}`, cookie: dpo }),
      PrivacyRequestSchema,
    );
    expect(after.pendingNodes).toEqual([]);
  }, 120_000);
});
