// Fault: kill -9 of the control plane during 1,000 idempotent submissions (issue #4's
// acceptance, issue #10 item 1). The built control plane runs as a child process on a real
// SQLite file and the real broker; scripted agents complete every assignment. Clients submit
// single-task transcode jobs, each under its own idempotency key, and repeat an unanswered
// submission with the same key; meanwhile the process is SIGKILLed at seeded random moments
// and restarted. After a last kill and restart: every acknowledged job exists exactly once, no
// key has two jobs, and every assignment is on Kafka exactly once per (task, epoch).
// Repeat a run with ENCLAVE_FAULT_SEED=<printed seed>; ENCLAVE_FAULT_JOBS changes the count.
import { JobDetailSchema } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import type { ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import { ControlPlaneProcess, faultMessaging } from './support/control-plane-process.ts';
import { countAssignments, judge, readJobRows } from './support/fault-audit.ts';
import { printFaultFigures } from '@enclave/devkit/testing';
import { startCompletingFleet, transcodeSubmission } from './support/fault-fleet.ts';
import { seedAppliance, type SeededAppliance } from './support/fault-setup.ts';
import { faultSeed, seededRandom } from './support/seeded-random.ts';
import { sleep, SubmissionClients } from './support/submission-clients.ts';

const JOBS = Number(process.env['ENCLAVE_FAULT_JOBS'] ?? 1000);
const KILLS = 4;
const CLIENTS = 16;
const NODES = 4;
/** Far more slots than ever busy at once: no task waits for capacity, so every job is assigned. */
const SLOTS_PER_NODE = 32;
const PORTS = { api: 20210, agent: 20211 };

const run = randomBytes(3).toString('hex');
let dir: string;
let seeded: SeededAppliance;
let cp: ControlPlaneProcess;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-fault-kill-'));
  seeded = await seedAppliance(dir, run, { count: NODES, cpuSlots: SLOTS_PER_NODE });
  cp = new ControlPlaneProcess(seeded.env, faultMessaging(run), PORTS, seeded.caPem);
  await cp.start();
  agents.push(...(await startCompletingFleet(cp, seeded)));
}, 180_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await cp?.stop();
  const topics = (seeded?.nodes ?? []).flatMap((n) => [
    `jobs.${n.nodeId}`,
    `results.${n.nodeId}`,
    `heartbeats.${n.nodeId}`,
  ]);
  const admin = new RdkafkaTopicAdmin({
    kafka: controlPlaneKafka('cp-fault-cleanup'),
    topics: { partitions: 1, replicationFactor: 1 },
    timeoutMs: 15_000,
  });
  await admin.deleteTopics(topics).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}, 120_000);

describe('fault: kill -9 of the control plane during idempotent submissions', () => {
  it(
    `keeps each of ${JOBS} acknowledged jobs exactly once and each assignment once on Kafka`,
    async () => {
      const random = seededRandom(faultSeed());
      console.log(
        `[fault control-plane-kill] seed=${random.seed} (repeat with ENCLAVE_FAULT_SEED=${random.seed})`,
      );
      const started = performance.now();
      const { post, bodyFor } = transcodeSubmission(cp, seeded);
      const clients = new SubmissionClients(post, bodyFor);

      // Kills when the acknowledged count passes seeded thresholds, a seeded moment later.
      const thresholds = Array.from({ length: KILLS }, () =>
        random.between(Math.ceil(JOBS * 0.05), Math.floor(JOBS * 0.95)),
      ).sort((a, b) => a - b);
      const killLog: string[] = [];
      const killer = async (): Promise<void> => {
        for (const threshold of thresholds) {
          await waitFor(
            `${threshold} acknowledged`,
            () => clients.acknowledged >= threshold,
            20 * 60_000,
            10,
          );
          await sleep(random.between(0, 400));
          const at = clients.acknowledged;
          await cp.kill9();
          await sleep(random.between(0, 1000));
          await cp.start();
          killLog.push(`kill at ${at} acknowledged, back in ${Math.round(cp.startMs.at(-1) ?? 0)} ms`);
        }
      };
      await Promise.all([clients.run(`fault-${run}`, JOBS, CLIENTS, 20 * 60_000), killer()]);
      const submittedSeconds = (performance.now() - started) / 1000;

      // Every job runs to the end (each assignment produced and completed), then one last kill.
      let rows = readJobRows(join(dir, 'data'), seeded.tenantId);
      await waitFor(
        'every job succeeded',
        () => {
          rows = readJobRows(join(dir, 'data'), seeded.tenantId);
          return rows.jobs.length >= JOBS && rows.jobs.every((j) => j.state === 'succeeded');
        },
        10 * 60_000,
        1_000,
      ).catch(() => undefined);
      const settledSeconds = (performance.now() - started) / 1000;
      await cp.kill9();
      await cp.start();

      // The API answers every acknowledged job with the job it acknowledged.
      let apiMissing = 0;
      const acknowledged = clients.submissions.filter((s) => s.jobIds.size > 0);
      for (let i = 0; i < acknowledged.length; i += CLIENTS) {
        const batch = acknowledged.slice(i, i + CLIENTS);
        await Promise.all(
          batch.map(async (s) => {
            const [jobId] = [...s.jobIds];
            const reply = await cp.api({ path: `/api/v1/jobs/${jobId}`, cookie: seeded.producerCookie });
            if (reply.status !== 200 || bodyOf(reply, JobDetailSchema).jobId !== jobId) apiMissing++;
          }),
        );
      }
      // Each key once more after the last restart: 200 with the job acknowledged, never a new job.
      let replayMismatches = 0;
      for (let i = 0; i < acknowledged.length; i += CLIENTS) {
        await Promise.all(
          acknowledged.slice(i, i + CLIENTS).map(async (s) => {
            const reply = await post(s.key, bodyFor(s.key));
            const jobId = reply.status === 200 ? bodyOf(reply, JobDetailSchema).jobId : null;
            if (jobId === null || !s.jobIds.has(jobId)) replayMismatches++;
          }),
        );
      }
      rows = readJobRows(join(dir, 'data'), seeded.tenantId);
      const assignments = await countAssignments(seeded.nodes.map((n) => n.nodeId));
      const verdict = judge(clients.submissions, rows, assignments);
      const figures = clients.figures();
      const states = new Map<string, number>();
      for (const job of rows.jobs) states.set(job.state, (states.get(job.state) ?? 0) + 1);

      printFaultFigures('control-plane-kill', {
        seed: random.seed,
        attempted: figures.attempted,
        acknowledged: figures.acknowledged,
        lost: verdict.lost.length + apiMissing,
        duplicated: verdict.duplicated.length + replayMismatches,
        details: {
          replayMismatches,
          kills: cp.kills,
          requests: figures.requests,
          transportErrors: figures.transportErrors,
          serverErrors: figures.serverErrors,
          refused: figures.refused,
          acknowledgedOnlyByReplay: figures.replayedOnly,
          jobsStored: rows.jobs.length,
          jobStates: Object.fromEntries(states),
          assignmentsOnKafka: verdict.assignmentsOnKafka,
          reassignedTasks: verdict.reassignedTasks,
          missingAssignments: verdict.missingAssignments.length,
          strayAssignments: verdict.strayAssignments.length,
          submitSeconds: Math.round(submittedSeconds),
          settleSeconds: Math.round(settledSeconds),
          restartMs: cp.startMs.slice(1).map(Math.round),
        },
        log: killLog,
      });

      expect(clients.refusals).toEqual([]);
      expect(figures.attempted).toBe(JOBS);
      expect(figures.acknowledged).toBe(JOBS);
      expect(cp.kills).toBe(KILLS + 1);
      expect(verdict.lost).toEqual([]);
      expect(apiMissing).toBe(0);
      expect(verdict.duplicated).toEqual([]);
      expect(replayMismatches).toBe(0);
      expect(verdict.unacknowledgedStored).toEqual([]);
      expect(rows.jobs).toHaveLength(JOBS);
      expect(rows.jobs.filter((j) => j.state !== 'succeeded')).toEqual([]);
      expect(verdict.missingAssignments).toEqual([]);
      expect(verdict.strayAssignments).toEqual([]);
      expect(verdict.assignmentsOnKafka).toBeGreaterThanOrEqual(JOBS);
    },
    40 * 60_000,
  );
});
