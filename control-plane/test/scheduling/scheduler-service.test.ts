// The scheduler service against a real SQLite file (no broker: messages stop in the outbox):
// every command commits its rows, its outbox messages and its history together; a restart on
// the same file rebuilds the same state and goes on deciding the same way; leases expire with
// epoch+1 and a stale report changes nothing; a failed command leaves memory as the database.
import {
  decodeEnvelope,
  JobDetailSchema,
  ProjectSchema,
  type EnvelopeOf,
  type JobDetail,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assignment } from '../../src/database/entities/assignment.entity.ts';
import { Node } from '../../src/database/entities/node.entity.ts';
import { TaskReportsService } from '../../src/jobs/task-reports.service.ts';
import { OutboxMessage } from '../../src/messaging/index.ts';
import type { SchedulerSnapshot } from '../../src/scheduler/index.ts';
import { SchedulerService } from '../../src/scheduling/scheduler.service.ts';
import { bodyOf } from '../support/https-client.ts';
import { deliver, heartbeat, report } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { openEventStream } from '../support/event-stream.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

const clock = new ManualClock('2026-11-29T10:00:00Z');
const env = { ENCLAVE_SCHEDULER_LEASE_MS: '10000', ENCLAVE_SCHEDULER_NODE_LOST_MS: '600000' };
let t: TestAppliance;
let tenant: string;
let producer: string;
let projectId: string;

beforeAll(async () => {
  t = await startTestAppliance({ clock, env });
  tenant = await t.createTenant('sched');
  producer = await t.login(await t.createUser(tenant, 'producer'));
  const project = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie: producer,
    body: { name: 'p' },
  });
  projectId = bodyOf(project, ProjectSchema).projectId;
  await t.registerNode('sched-a', { gpus: [], cpuSlots: 2, tags: [] });
  await t.registerNode('sched-b', { gpus: [], cpuSlots: 2, tags: [] });
  for (const node of ['sched-a', 'sched-b']) await deliver(t.running, heartbeat(node, clock.now()));
});
afterAll(async () => {
  await t.stop();
  await rm(t.dir, { recursive: true, force: true });
});

const service = () => t.running.app.get(SchedulerService);

async function outbox(): Promise<Array<EnvelopeOf<'task.assign'> | EnvelopeOf<'task.cancel'>>> {
  const rows = await t.running.app
    .get(MikroORM)
    .em.fork()
    .find(OutboxMessage, {}, { orderBy: { seq: 'asc' } });
  return rows.map((r) => decodeEnvelope(r.payload, { expectedTopicKind: 'jobs' })) as Array<
    EnvelopeOf<'task.assign'> | EnvelopeOf<'task.cancel'>
  >;
}

async function job(jobId: string): Promise<JobDetail> {
  return bodyOf(await t.api({ path: `/api/v1/jobs/${jobId}`, cookie: producer }), JobDetailSchema);
}

async function submitPromo(): Promise<JobDetail> {
  const stills = [await t.createAsset(tenant, projectId), await t.createAsset(tenant, projectId)];
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie: producer,
    body: {
      template: 'promo-video',
      params: { title: 'T', script: 'Hello there.', stills },
      idempotencyKey: `k-${Math.random()}`,
    },
  });
  expect(reply.status, reply.text).toBe(201);
  return bodyOf(reply, JobDetailSchema);
}

/** Order-independent form of a snapshot: maps iterate in insertion order, decisions do not. */
function normal(s: SchedulerSnapshot): unknown {
  return {
    ...s,
    tenants: [...s.tenants].sort((a, b) => a.id.localeCompare(b.id)),
    nodes: [...s.nodes]
      .map((n) => ({ ...n, retiring: [...n.retiring].sort((a, b) => a.taskId.localeCompare(b.taskId)) }))
      .sort((a, b) => a.spec.id.localeCompare(b.spec.id)),
    jobs: [...s.jobs].sort((a, b) => a.seq - b.seq),
  };
}

describe('scheduler service', () => {
  let promo: JobDetail;

  it('commits a submission with its placements: rows, assignments and task.assign in the outbox', async () => {
    promo = await submitPromo();
    const [voice, stills, render] = promo.tasks;
    expect([voice?.state, stills?.state, render?.state]).toEqual(['assigned', 'assigned', 'queued']);
    const assigns = (await outbox()).filter((m) => m.type === 'task.assign');
    expect(assigns.map((m) => [m.body.taskId, m.body.epoch, m.nodeId])).toEqual([
      [voice!.taskId, 1, 'sched-a'],
      [stills!.taskId, 1, 'sched-a'],
    ]);
    expect(assigns[0]).toMatchObject({ tenantId: tenant, body: { jobId: promo.jobId, leaseMs: 10_000 } });
    const open = await t.running.app.get(MikroORM).em.fork().find(Assignment, { endedAtMs: null });
    expect(open).toHaveLength(2);
    expect(promo.history.map((h) => [h.kind, h.state])).toContainEqual(['job', 'queued']);
  });

  it('rebuilds the same state after a restart on the same file, and goes on from there', async () => {
    const before = service().scheduler.exportState();
    const dir = t.dir;
    await t.running.close();
    t = await startTestAppliance({ clock, env, dir });
    expect(normal(service().scheduler.exportState())).toEqual(normal(before));

    const [voice, stills, render] = promo.tasks;
    for (const task of [voice!, stills!]) {
      const ref = { jobId: promo.jobId, taskId: task.taskId, epoch: 1 };
      await deliver(t.running, report('task.accepted', 'sched-a', tenant, ref, clock.now()));
      await deliver(t.running, report('task.succeeded', 'sched-a', tenant, ref, clock.now()));
    }
    const after = await job(promo.jobId);
    expect(after.tasks.map((x) => x.state)).toEqual(['succeeded', 'succeeded', 'assigned']);
    const last = (await outbox()).at(-1)!;
    expect(last).toMatchObject({ type: 'task.assign', body: { taskId: render!.taskId, epoch: 1 } });
  });

  it('expires a lease: epoch+1 on another node, a cancel to the old one, a late report dropped', async () => {
    const render = (await job(promo.jobId)).tasks[2]!;
    const firstNode = render.nodeId!;
    const other = firstNode === 'sched-a' ? 'sched-b' : 'sched-a';
    clock.advance(11_000);
    await deliver(t.running, heartbeat(other, clock.now()));
    await service().tick();

    const moved = (await job(promo.jobId)).tasks[2]!;
    expect(moved).toMatchObject({ state: 'assigned', epoch: 2, nodeId: other, failures: 1 });
    const messages = await outbox();
    expect(messages.at(-2)).toMatchObject({
      type: 'task.cancel',
      nodeId: firstNode,
      body: { taskId: render.taskId, epoch: 1, reason: 'lease-expired' },
    });
    expect(messages.at(-1)).toMatchObject({ type: 'task.assign', nodeId: other, body: { epoch: 2 } });

    const stats = t.running.app.get(TaskReportsService).stats;
    const stale = stats.staleEpochDropped;
    const ref = { jobId: promo.jobId, taskId: render.taskId, epoch: 1 };
    await deliver(t.running, report('task.succeeded', firstNode, tenant, ref, clock.now()));
    expect(stats.staleEpochDropped).toBe(stale + 1);
    expect((await job(promo.jobId)).tasks[2]).toMatchObject({ state: 'assigned', epoch: 2 });
  });

  it('streams committed changes to an HTTPS event-stream client', async () => {
    const stream = await openEventStream({
      port: t.apiPort,
      path: `/api/v1/jobs/${promo.jobId}/events`,
      ca: t.caPem,
      headers: { cookie: `__Host-enclave_session=${producer}` },
    });
    try {
      expect(stream.status).toBe(200);
      const render = (await job(promo.jobId)).tasks[2]!;
      await stream.until((events) => events.some((e) => e.event === 'task'));
      const replayed = stream.events.length;
      const ref = { jobId: promo.jobId, taskId: render.taskId, epoch: 2 };
      await deliver(t.running, report('task.progress', render.nodeId!, tenant, ref, clock.now(), 0.3));
      await deliver(t.running, report('task.succeeded', render.nodeId!, tenant, ref, clock.now()));
      await stream.until((events) =>
        events.some((e) => e.event === 'job' && (e.data as { state: string }).state === 'succeeded'),
      );
      expect(
        stream.events.slice(replayed).map((e) => [e.event, (e.data as { state: string | null }).state]),
      ).toEqual([
        ['task', 'running'],
        ['progress', null],
        ['task', 'succeeded'],
        ['job', 'succeeded'],
      ]);
    } finally {
      stream.close();
    }
  });

  it('leaves memory as the database says when a command fails after changing it', async () => {
    const orm = t.running.app.get(MikroORM);
    await expect(
      service().run('doomed', async ({ scheduler, em, now }) => {
        em.create(Node, {
          id: 'sched-doomed',
          adminState: 'active',
          agentState: null,
          live: false,
          capabilities: { gpus: [], cpuSlots: 1, tags: [] },
          createdAt: now,
        });
        await em.flush();
        scheduler.registerNode({ id: 'sched-doomed', capabilities: { gpus: [], cpuSlots: 1, tags: [] } });
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(service().scheduler.getNode('sched-doomed')).toBeUndefined();
    expect(await orm.em.fork().findOne(Node, { id: 'sched-doomed' })).toBeNull();
    expect(t.logs.text).toContain('rebuilding its state from the database');
  });
});
