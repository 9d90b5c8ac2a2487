// Fault: a node stops heartbeating with work in hand (issue #10 item 1), at the process level:
// the built control plane runs as a child process (kill -9 and restarted once while the node
// is silent, so the lease and node-lost clocks must come back from SQLite), node C accepts its
// assignments and goes silent, node D comes up; each task is requeued on D at epoch 2 and
// succeeds there, and C's late task.succeeded for epoch 1 is dropped without touching the job.
// On Kafka each (task, epoch) is assigned exactly once: epoch 1 on jobs.C, epoch 2 on jobs.D.
import { JobDetailSchema, NodeListSchema, type JobDetail } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import { ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import { ControlPlaneProcess, faultMessaging } from './support/control-plane-process.ts';
import { countAssignments } from './support/fault-audit.ts';
import { printFaultFigures } from '@enclave/devkit/testing';
import { seedAppliance, type SeededAppliance } from './support/fault-setup.ts';

const JOBS = 5;
const PORTS = { api: 20220, agent: 20221 };
const run = randomBytes(3).toString('hex');
let dir: string;
let seeded: SeededAppliance;
let cp: ControlPlaneProcess;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-fault-silent-'));
  seeded = await seedAppliance(dir, run, { count: 2, cpuSlots: 8 });
  cp = new ControlPlaneProcess(seeded.env, faultMessaging(run), PORTS, seeded.caPem, {
    // Short clocks so the silent node is written off in seconds; info logs show the drops.
    ENCLAVE_SCHEDULER_LEASE_MS: '3000',
    ENCLAVE_SCHEDULER_NODE_LOST_MS: '3000',
    ENCLAVE_LOG_LEVEL: 'info',
  });
  await cp.start();
}, 180_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await cp?.stop();
  const admin = new RdkafkaTopicAdmin({
    kafka: controlPlaneKafka('cp-fault-cleanup'),
    topics: { partitions: 1, replicationFactor: 1 },
    timeoutMs: 15_000,
  });
  const topics = (seeded?.nodes ?? []).flatMap((n) => [
    `jobs.${n.nodeId}`,
    `results.${n.nodeId}`,
    `heartbeats.${n.nodeId}`,
  ]);
  await admin.deleteTopics(topics).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}, 120_000);

async function online(nodeId: string): Promise<boolean> {
  const reply = await cp.api({ path: '/api/v1/nodes', cookie: seeded.adminCookie });
  return bodyOf(reply, NodeListSchema).items.find((n) => n.nodeId === nodeId)?.status === 'online';
}

async function job(jobId: string): Promise<JobDetail> {
  const reply = await cp.api({ path: `/api/v1/jobs/${jobId}`, cookie: seeded.producerCookie });
  return bodyOf(reply, JobDetailSchema);
}

describe('fault: a node stops heartbeating with work in hand', () => {
  it(
    'requeues its tasks on another node at epoch 2 and drops its late results',
    async () => {
      const [c, d] = seeded.nodes;
      const nodeC = new ScriptedAgent(c!, 'accept-then-silent');
      const nodeD = new ScriptedAgent(d!, 'complete');
      agents.push(nodeC);
      await nodeC.start();
      await waitFor('node C online', () => online(nodeC.nodeId), 30_000, 200);

      // Only C is up: it gets every task, accepts the first and goes silent.
      const jobIds: string[] = [];
      for (let i = 0; i < JOBS; i++) {
        const reply = await cp.api({
          method: 'POST',
          path: `/api/v1/projects/${seeded.projectId}/jobs`,
          cookie: seeded.producerCookie,
          body: {
            idempotencyKey: `silent-${run}-${i}`,
            template: 'transcode',
            params: { source: seeded.sourceAssetId, height: 360 },
          },
        });
        expect(reply.status, reply.text).toBe(201);
        jobIds.push(bodyOf(reply, JobDetailSchema).jobId);
      }
      await waitFor('C read every assignment', () => nodeC.assigns.length === JOBS, 30_000, 100);

      // The control plane dies and comes back while C is silent.
      await cp.kill9();
      await cp.start();
      agents.push(nodeD);
      await nodeD.start();
      const restarted = performance.now();
      await waitFor('node D online', () => online(nodeD.nodeId), 30_000, 200).catch(
        async (error: unknown) => {
          const nodes = await cp.api({ path: '/api/v1/nodes', cookie: seeded.adminCookie });
          const log = cp
            .logLines()
            .filter((line) => !line.includes('"msg":"request"'))
            .slice(-40)
            .join('\n');
          throw new Error(`${String(error)}; nodes: ${nodes.text}; control plane log:\n${log}`);
        },
      );
      const dOnlineSeconds = (performance.now() - restarted) / 1000;

      const done: JobDetail[] = [];
      for (const jobId of jobIds) {
        await waitFor(
          `job ${jobId} succeeded`,
          async () => (await job(jobId)).state === 'succeeded',
          60_000,
          250,
        );
        done.push(await job(jobId));
      }
      for (const detail of done) {
        expect(detail.tasks[0]).toMatchObject({ state: 'succeeded', epoch: 2, nodeId: nodeD.nodeId });
      }
      const taskIds = done.map((detail) => detail.tasks[0]!.taskId).sort();
      expect(nodeC.assigns.map((a) => a.body.epoch)).toEqual(Array<number>(JOBS).fill(1));
      expect(nodeD.assigns.map((a) => a.body.taskId).sort()).toEqual(taskIds);
      expect(nodeD.assigns.map((a) => a.body.epoch)).toEqual(Array<number>(JOBS).fill(2));

      // C's late results for epoch 1: each dropped, and no job changes.
      const dropped = () => cp.logLines().filter((line) => line.includes('Stale report dropped')).length;
      const droppedBefore = dropped();
      for (const assign of nodeC.assigns) await nodeC.report(assign, 'task.succeeded');
      await waitFor('every late result dropped', () => dropped() - droppedBefore === JOBS, 30_000, 100);
      const after = await Promise.all(jobIds.map(job));
      expect(after).toEqual(done);

      // Kafka: each (task, epoch) exactly once, epoch 1 for C and 2 for D.
      const assignments = await countAssignments([nodeC.nodeId, nodeD.nodeId]);
      const expected = new Map(taskIds.flatMap((id) => [[`${id}#1`, 1] as const, [`${id}#2`, 1] as const]));
      const duplicated = [...assignments.values()].filter((n) => n > 1).length;
      const lost = after.filter((detail) => detail.state !== 'succeeded').length;
      printFaultFigures('node-silent', {
        seed: 0,
        attempted: JOBS,
        acknowledged: jobIds.length,
        lost,
        duplicated,
        details: {
          requeuedAtEpoch2: done.filter((detail) => detail.tasks[0]!.epoch === 2).length,
          lateResultsDropped: dropped() - droppedBefore,
          assignmentsOnKafka: [...assignments.values()].reduce((a, b) => a + b, 0),
          kills: cp.kills,
          nodeDOnlineAfterRestartSeconds: Number(dOnlineSeconds.toFixed(1)),
        },
      });
      expect(new Map([...assignments].sort())).toEqual(new Map([...expected].sort()));
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
    },
    5 * 60_000,
  );
});
