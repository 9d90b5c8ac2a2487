// The acceptance of issue #4, on a real SQLite file and the real broker: a job submitted over
// REST is placed on an enrolled node, a scripted agent (node-rdkafka, its own certificate) reads
// jobs.<node> and reports on its own topics, the job succeeds and the event stream shows every
// transition. A node that goes silent loses its task to another node at a higher epoch, and its
// late result is ignored. A node certificate is no user credential, and a revoked one is shut
// out of the agent listener and of Kafka.
import {
  decodeFromTopic,
  JobDetailSchema,
  NodeListSchema,
  ProjectSchema,
  jobsTopic,
  type EnvelopeOf,
  type JobDetail,
  type JobHistoryEntry,
} from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskReportsService } from '../../src/jobs/task-reports.service.ts';
import { enrollNode, ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { startE2eAppliance } from '../e2e-support/e2e-appliance.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { readTopic } from '../messaging-support/kafka-test-clients.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { openEventStream, type EventStreamClient } from '../support/event-stream.ts';
import { bodyOf, httpsCall } from '../support/https-client.ts';
import type { TestAppliance } from '../support/test-appliance.ts';

const run = randomBytes(3).toString('hex');
const nodeName = (suffix: string) => `e2e-${run}-${suffix}`;
const script = 'Meet the new collection. Made in Dubai.';

let t: TestAppliance;
let dir: string;
let admin: string;
let producer: string;
let tenant: string;
let projectId: string;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-e2e-'));
  t = await startE2eAppliance(run);
  tenant = await t.createTenant(`e2e-${run}`);
  admin = await t.login(await t.createUser(tenant, 'it-admin'));
  producer = await t.login(await t.createUser(tenant, 'producer'));
  const project = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie: producer,
    body: { name: 'e2e' },
  });
  projectId = bodyOf(project, ProjectSchema).projectId;
}, 120_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startAgent(
  suffix: string,
  behaviour: 'complete' | 'accept-then-silent',
): Promise<ScriptedAgent> {
  const node = await enrollNode(t, admin, nodeName(suffix), dir);
  const agent = new ScriptedAgent(node, behaviour);
  agents.push(agent);
  await agent.start();
  return agent;
}

async function nodeStatus(nodeId: string): Promise<string | undefined> {
  const reply = await t.api({ path: '/api/v1/nodes', cookie: admin });
  return bodyOf(reply, NodeListSchema).items.find((n) => n.nodeId === nodeId)?.status;
}

async function job(jobId: string): Promise<JobDetail> {
  return bodyOf(await t.api({ path: `/api/v1/jobs/${jobId}`, cookie: producer }), JobDetailSchema);
}

async function submit(body: Record<string, unknown>): Promise<JobDetail> {
  const reply = await t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie: producer,
    body: { idempotencyKey: `e2e-${randomBytes(6).toString('hex')}`, ...body },
  });
  expect(reply.status, reply.text).toBe(201);
  return bodyOf(reply, JobDetailSchema);
}

function follow(jobId: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  return openEventStream({
    port: t.apiPort,
    path: `/api/v1/jobs/${jobId}/events`,
    ca: t.caPem,
    headers: { cookie: `__Host-enclave_session=${producer}`, ...headers },
  });
}

const entries = (stream: EventStreamClient) => stream.events.map((e) => e.data as JobHistoryEntry);
const statesOf = (stream: EventStreamClient, taskId: string | null) =>
  entries(stream)
    .filter((e) => e.kind !== 'progress' && e.taskId === taskId)
    .map((e) => e.state);

describe('end to end: REST → scheduler → Kafka → scripted agent → results → SSE', () => {
  let nodeA: ScriptedAgent;

  it('runs a promo-video job on an enrolled node, in DAG order, each assignment sent once', async () => {
    nodeA = await startAgent('a', 'complete');
    await waitFor('node A online', async () => (await nodeStatus(nodeA.nodeId)) === 'online', 30_000, 200);

    const stills = [];
    for (let i = 0; i < 3; i++) stills.push(await t.createAsset(tenant, projectId, `still-${i}.jpg`));
    const submitted = await submit({ template: 'promo-video', params: { title: 'Spring', script, stills } });
    const stream = await follow(submitted.jobId);
    try {
      await stream.until((events) =>
        events.some((e) => e.event === 'job' && (e.data as JobHistoryEntry).state === 'succeeded'),
      );
      const done = await job(submitted.jobId);
      expect(done.state).toBe('succeeded');
      expect(done.tasks.map((task) => [task.key, task.state, task.nodeId])).toEqual([
        ['voice', 'succeeded', nodeA.nodeId],
        ['stills', 'succeeded', nodeA.nodeId],
        ['render', 'succeeded', nodeA.nodeId],
      ]);

      // Every transition reached the stream, in order, for each task and the job.
      expect(statesOf(stream, null)).toEqual(['queued', 'running', 'succeeded']);
      for (const task of done.tasks) {
        expect(statesOf(stream, task.taskId), task.key).toEqual([
          'queued',
          'assigned',
          'running',
          'succeeded',
        ]);
      }
      expect(entries(stream).some((e) => e.kind === 'progress' && e.progress === 0.9)).toBe(true);
      const ids = stream.events.map((e) => e.id ?? 0);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);

      // DAG order: render was assigned only after voice and stills succeeded.
      const seqOf = (key: string, state: string) => {
        const taskId = done.tasks.find((task) => task.key === key)!.taskId;
        return entries(stream).find((e) => e.taskId === taskId && e.state === state)!.seq;
      };
      expect(seqOf('render', 'assigned')).toBeGreaterThan(seqOf('voice', 'succeeded'));
      expect(seqOf('render', 'assigned')).toBeGreaterThan(seqOf('stills', 'succeeded'));

      // render's inputs are what voice and stills reported; the script travels sealed only.
      const render = nodeA.assigns.find((a) => a.body.taskId === done.tasks[2]!.taskId)!;
      expect(render.body.inputs.map((i) => i.name).sort()).toEqual(
        ['captions', 'still_01', 'still_02', 'still_03', 'voiceover'].sort(),
      );
      const voice = nodeA.assigns.find((a) => a.body.taskId === done.tasks[0]!.taskId)!;
      expect(voice.body.sealed['script']?.keyId).toMatch(/^dek_/); // the project DEK (keys/)
      expect(JSON.stringify(voice)).not.toContain('Dubai');

      // Exactly once: one task.assign record per task on jobs.<node> (read_committed).
      const topic = await readTopic(controlPlaneKafka('e2e-reader'), jobsTopic(nodeA.nodeId));
      const assigns = topic.records
        .map((r) => decodeFromTopic(r.topic, r.value))
        .filter((m): m is EnvelopeOf<'task.assign'> => m.type === 'task.assign');
      expect(assigns.map((a) => a.body.taskId).sort()).toEqual(done.tasks.map((task) => task.taskId).sort());
    } finally {
      stream.close();
    }

    // Last-Event-ID resumes after the given event, from the persisted history.
    const resumed = await follow(submitted.jobId, { 'last-event-id': '0' });
    try {
      await resumed.until((events) =>
        events.some((e) => (e.data as JobHistoryEntry).state === 'succeeded' && e.event === 'job'),
      );
      const middle = resumed.events[4]!.id!;
      const again = await follow(submitted.jobId, { 'last-event-id': String(middle) });
      try {
        await again.until((events) => events.length > 0);
        expect(again.events[0]!.id).toBeGreaterThan(middle);
        await again.until((_events) => again.comments.includes('keep-alive'), 5_000);
      } finally {
        again.close();
      }
    } finally {
      resumed.close();
    }
  }, 90_000);

  let nodeD: ScriptedAgent;

  it('requeues the task of a node that goes silent on another node at epoch+1, and ignores its late result', async () => {
    const drained = await t.api({
      method: 'POST',
      path: `/api/v1/nodes/${nodeA.nodeId}/drain`,
      cookie: admin,
    });
    expect(drained.status, drained.text).toBe(200);
    const nodeC = await startAgent('c', 'accept-then-silent');
    nodeD = await startAgent('d', 'complete');
    await waitFor(
      'nodes C and D online',
      async () =>
        (await nodeStatus(nodeC.nodeId)) === 'online' && (await nodeStatus(nodeD.nodeId)) === 'online',
      30_000,
      200,
    );
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    const submitted = await submit({ template: 'transcode', params: { source, height: 360 } });
    const taskId = submitted.tasks[0]!.taskId;

    await waitFor(
      'job succeeded on D',
      async () => (await job(submitted.jobId)).state === 'succeeded',
      30_000,
      200,
    );
    const done = await job(submitted.jobId);
    expect(done.tasks[0]).toMatchObject({ state: 'succeeded', epoch: 2, nodeId: nodeD.nodeId, failures: 1 });
    expect(nodeC.assigns.map((a) => [a.body.taskId, a.body.epoch])).toEqual([[taskId, 1]]);
    expect(nodeD.assigns.map((a) => [a.body.taskId, a.body.epoch])).toEqual([[taskId, 2]]);
    const lease = done.history.find((e) => e.taskId === taskId && e.cause === 'lease-expired');
    expect(lease).toMatchObject({ state: 'queued', epoch: 2, nodeId: nodeC.nodeId });

    const stats = t.running.app.get(TaskReportsService).stats;
    const staleBefore = stats.staleEpochDropped;
    await nodeC.report(nodeC.assigns[0]!, 'task.succeeded');
    await waitFor('the late result is dropped', () => stats.staleEpochDropped > staleBefore, 20_000);
    const after = await job(submitted.jobId);
    expect(after.tasks[0]).toMatchObject({ state: 'succeeded', epoch: 2, nodeId: nodeD.nodeId });
    expect(after.history).toEqual(done.history);
    expect(t.logs.text).toContain('Stale report dropped');
  }, 90_000);

  it('refuses a node certificate as a user credential, and shuts a revoked node out of mTLS and Kafka', async () => {
    const tls = nodeD.node.tls;
    const onApi = await httpsCall({ port: t.apiPort, path: '/api/v1/projects', tls });
    expect(onApi.status).toBe(401);
    const onAgent = await httpsCall({ port: t.agentPort, path: '/api/v1/projects', tls });
    expect(onAgent.status).toBe(404);
    expect((await httpsCall({ port: t.agentPort, path: '/agent/v1/whoami', tls })).status).toBe(200);
    await expect(nodeD.heartbeat()).resolves.toBeDefined();

    const revoked = await t.api({
      method: 'POST',
      path: `/api/v1/nodes/${nodeD.nodeId}/revoke`,
      cookie: admin,
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await nodeStatus(nodeD.nodeId)).toBe('revoked');

    await expect(httpsCall({ port: t.agentPort, path: '/agent/v1/whoami', tls })).rejects.toThrow(
      /ECONNRESET|alert|certificate|socket hang up|EPIPE/i,
    );
    let refusal = '';
    await waitFor(
      'Kafka refuses the revoked node',
      async () => {
        try {
          await nodeD.heartbeat();
          return false;
        } catch (error) {
          refusal = String(error);
          return true;
        }
      },
      20_000,
      200,
    );
    expect(refusal).toMatch(/authori[sz]/i);
  }, 60_000);
});
