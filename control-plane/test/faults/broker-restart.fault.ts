// Fault: the Kafka broker restarted under control-plane load (issue #10). The built control
// plane runs as a child process on a PRIVATE real broker (port 21093, its own dev directory and
// CA under a temp directory; the shared broker on 19093 is never touched). 16 clients submit
// single-task transcode jobs, each under its own idempotency key, and scripted agents complete
// every assignment. At seeded moments the broker is stopped, once with SIGTERM and once with
// SIGKILL, and started again after a seeded pause of a few seconds. Then: every acknowledged
// job exists once and succeeded, no key has two jobs, and every task.assign is on Kafka exactly
// once per (task, epoch), read back read_committed. Each outage's window and the time until the
// control plane applied its first result after the restart go into the report.
// Repeat a run with ENCLAVE_FAULT_SEED=<printed seed>; ENCLAVE_FAULT_BROKER_JOBS changes the count.
import { JobDetailSchema } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import { ControlPlaneProcess, faultMessaging } from './support/control-plane-process.ts';
import { countAssignments, judge, readJobRows, readOutboxCounts } from './support/fault-audit.ts';
import { FAULT_RESULTS_DIR, printFaultFigures } from '@enclave/devkit/testing';
import { startCompletingFleet, transcodeSubmission } from './support/fault-fleet.ts';
import { seedAppliance, type SeededAppliance } from './support/fault-setup.ts';
import { PrivateBroker } from './support/private-broker.ts';
import { faultSeed, seededRandom } from './support/seeded-random.ts';
import { sleep, SubmissionClients } from './support/submission-clients.ts';

const JOBS = Number(process.env['ENCLAVE_FAULT_BROKER_JOBS'] ?? 300);
const CLIENTS = 16;
const NODES = 2;
const SLOTS_PER_NODE = 32;
const PORTS = { api: 21010, agent: 21011 };
const BROKER_PORT = 21093;
/** One clean stop, then one crash: the two ways a broker goes away. */
const OUTAGES = ['SIGTERM', 'SIGKILL'] as const;
/** Longer than any outage here: the agents' reports wait in librdkafka instead of failing. */
const AGENT_MESSAGE_TIMEOUT_MS = 180_000;
/**
 * The agents rejoin their groups after an outage under new member ids; the broker then waits
 * out the old members' sessions, 45 s by librdkafka's default (see docs/reliability.md).
 */
const AGENT_SESSION_TIMEOUT_MS = 10_000;

interface Outage {
  readonly signal: (typeof OUTAGES)[number];
  readonly acknowledgedAtStop: number;
  readonly succeededAtStop: number;
  /** Signal sent → process gone. */
  readonly stopMs: number;
  /** Process gone → started again (the seeded pause). */
  readonly pauseMs: number;
  /** Start → metadata answered over mTLS. */
  readonly startMs: number;
  /** Signal sent → broker answering again: the window the control plane had no broker. */
  readonly windowMs: number;
  /** Broker answering → the control plane applied a new result (a job newly succeeded). */
  recoveryMs: number | null;
  /** Broker answering → the relay marked a new outbox row sent (an assignment published). */
  relayRecoveryMs: number | null;
  /** Broker answering → an agent read a new task.assign. */
  agentRecoveryMs: number | null;
  outboxPendingAtReady: number;
}

const run = randomBytes(3).toString('hex');
let dir: string;
let broker: PrivateBroker;
let seeded: SeededAppliance;
let cp: ControlPlaneProcess;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-fault-broker-'));
  broker = new PrivateBroker(BROKER_PORT, join(dir, 'dev'));
  await broker.start();
  seeded = await seedAppliance(dir, run, { count: NODES, cpuSlots: SLOTS_PER_NODE }, broker.context());
  cp = new ControlPlaneProcess(seeded.env, faultMessaging(run), PORTS, seeded.caPem);
  await cp.start();
  agents.push(
    ...(await startCompletingFleet(cp, seeded, {
      messageTimeoutMs: AGENT_MESSAGE_TIMEOUT_MS,
      sessionTimeoutMs: AGENT_SESSION_TIMEOUT_MS,
    })),
  );
}, 180_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  // The child's warnings (relay and consumer during the outages) stay for a failed run's reader.
  mkdirSync(FAULT_RESULTS_DIR, { recursive: true });
  if (cp) writeFileSync(join(FAULT_RESULTS_DIR, 'broker-restart.child.log'), `${cp.logLines().join('\n')}\n`);
  await cp?.stop();
  // The private broker only (its own pid file under <dir>/dev); its storage goes with the dir.
  await broker?.stop();
  const serverLog = join(dir ?? '', 'dev', 'kafka', 'logs', 'server.log');
  if (dir && existsSync(serverLog))
    copyFileSync(serverLog, join(FAULT_RESULTS_DIR, 'broker-restart.server.log'));
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}, 120_000);

describe('fault: restart of the Kafka broker under control-plane load', () => {
  it(
    `keeps each of ${JOBS} acknowledged jobs once, runs each to success and publishes each assignment once`,
    async () => {
      const random = seededRandom(faultSeed());
      console.log(
        `[fault broker-restart] seed=${random.seed} (repeat with ENCLAVE_FAULT_SEED=${random.seed})`,
      );
      const dataDir = join(dir, 'data');
      const succeeded = () =>
        readJobRows(dataDir, seeded.tenantId).jobs.filter((j) => j.state === 'succeeded').length;
      const started = performance.now();
      const { post, bodyFor } = transcodeSubmission(cp, seeded);
      const clients = new SubmissionClients(post, bodyFor);

      // Each outage starts when the acknowledged count passes a seeded threshold (the first in
      // 10–35 %, the second in 50–80 %, and never before the first has recovered), a seeded
      // 0–400 ms later; the broker is started again after a seeded 2–5 s pause.
      const thresholds = [
        random.between(Math.ceil(JOBS * 0.1), Math.floor(JOBS * 0.35)),
        random.between(Math.ceil(JOBS * 0.5), Math.floor(JOBS * 0.8)),
      ];
      const outages: Outage[] = [];
      const breaker = async (): Promise<void> => {
        for (const [i, signal] of OUTAGES.entries()) {
          await waitFor(
            `${thresholds[i]} acknowledged`,
            () => clients.acknowledged >= thresholds[i]!,
            300_000,
            10,
          );
          await sleep(random.between(0, 400));
          const acknowledgedAtStop = clients.acknowledged;
          const succeededAtStop = succeeded();
          const t0 = performance.now();
          if (signal === 'SIGTERM') await broker.stop();
          else await broker.kill9();
          const gone = performance.now();
          await sleep(random.between(2_000, 5_000));
          const restart = performance.now();
          await broker.start();
          const ready = performance.now();
          const assigns = () => agents.reduce((sum, a) => sum + a.assigns.length, 0);
          const base = { results: succeeded(), outbox: readOutboxCounts(dataDir), assigns: assigns() };
          const outage: Outage = {
            signal,
            acknowledgedAtStop,
            succeededAtStop,
            stopMs: Math.round(gone - t0),
            pauseMs: Math.round(restart - gone),
            startMs: Math.round(ready - restart),
            windowMs: Math.round(ready - t0),
            recoveryMs: null,
            relayRecoveryMs: null,
            agentRecoveryMs: null,
            outboxPendingAtReady: base.outbox.pending,
          };
          outages.push(outage);
          // Recovery: a result applied and an assignment published after the restart. A side
          // with nothing left to do (every job submitted already succeeded, nothing pending)
          // has nothing to show, and is not waited for.
          await waitFor(
            `the first result and publication after the ${signal} restart`,
            () => {
              const now = performance.now();
              const results = succeeded();
              const outbox = readOutboxCounts(dataDir);
              if (outage.recoveryMs === null && results > base.results)
                outage.recoveryMs = Math.round(now - ready);
              if (outage.relayRecoveryMs === null && outbox.sent > base.outbox.sent)
                outage.relayRecoveryMs = Math.round(now - ready);
              if (outage.agentRecoveryMs === null && assigns() > base.assigns)
                outage.agentRecoveryMs = Math.round(now - ready);
              const idle = results >= clients.acknowledged && outbox.pending === 0;
              return idle || (outage.recoveryMs !== null && outage.relayRecoveryMs !== null);
            },
            120_000,
            100,
          );
        }
      };
      await Promise.all([clients.run(`fault-${run}`, JOBS, CLIENTS, 300_000), breaker()]);
      const submittedSeconds = (performance.now() - started) / 1000;

      // Every job runs to the end on the restarted broker.
      let rows = readJobRows(dataDir, seeded.tenantId);
      await waitFor(
        'every job succeeded',
        () => {
          rows = readJobRows(dataDir, seeded.tenantId);
          return rows.jobs.length >= JOBS && rows.jobs.every((j) => j.state === 'succeeded');
        },
        120_000,
        250,
      ).catch(() => undefined);
      const settledSeconds = (performance.now() - started) / 1000;

      // Each key once more: 200 with the job it acknowledged, never a new job.
      let replayMismatches = 0;
      const acknowledged = clients.submissions.filter((s) => s.jobIds.size > 0);
      for (let i = 0; i < acknowledged.length; i += CLIENTS) {
        await Promise.all(
          acknowledged.slice(i, i + CLIENTS).map(async (s) => {
            const reply = await post(s.key, bodyFor(s.key));
            const jobId = reply.status === 200 ? bodyOf(reply, JobDetailSchema).jobId : null;
            if (jobId === null || !s.jobIds.has(jobId)) replayMismatches++;
          }),
        );
      }
      rows = readJobRows(dataDir, seeded.tenantId);
      const assignments = await countAssignments(
        seeded.nodes.map((n) => n.nodeId),
        controlPlaneKafka('cp-fault-audit', broker.context()),
      );
      const verdict = judge(clients.submissions, rows, assignments);
      const figures = clients.figures();
      const states = new Map<string, number>();
      for (const job of rows.jobs) states.set(job.state, (states.get(job.state) ?? 0) + 1);
      const notSucceeded = rows.jobs.filter((j) => j.state !== 'succeeded');
      const relayWarnings = cp.logLines().filter((line) => line.includes('outbox relay')).length;

      printFaultFigures('broker-restart', {
        seed: random.seed,
        attempted: figures.attempted,
        acknowledged: figures.acknowledged,
        // An acknowledged job that never succeeded counts as lost work.
        lost: verdict.lost.length + notSucceeded.length,
        duplicated: verdict.duplicated.length + replayMismatches,
        details: {
          outages,
          replayMismatches,
          requests: figures.requests,
          transportErrors: figures.transportErrors,
          serverErrors: figures.serverErrors,
          refused: figures.refused,
          jobsStored: rows.jobs.length,
          jobStates: Object.fromEntries(states),
          assignmentsOnKafka: verdict.assignmentsOnKafka,
          reassignedTasks: verdict.reassignedTasks,
          missingAssignments: verdict.missingAssignments.length,
          strayAssignments: verdict.strayAssignments.length,
          relayWarningLines: relayWarnings,
          brokerStartMs: broker.startMs.map(Math.round),
          submitSeconds: Math.round(submittedSeconds),
          settleSeconds: Math.round(settledSeconds),
        },
        log: outages.map(
          (o) =>
            `${o.signal} at ${o.acknowledgedAtStop} acknowledged (${o.succeededAtStop} succeeded): ` +
            `gone in ${o.stopMs} ms, paused ${o.pauseMs} ms, answering ${o.startMs} ms after its start ` +
            `(window ${o.windowMs} ms); ${o.outboxPendingAtReady} outbox rows pending then; first result ` +
            `applied ${o.recoveryMs ?? '—'} ms and first row published ${o.relayRecoveryMs ?? '—'} ms after`,
        ),
      });

      expect(clients.refusals).toEqual([]);
      expect(outages.map((o) => o.signal)).toEqual([...OUTAGES]);
      expect(figures.attempted).toBe(JOBS);
      expect(figures.acknowledged).toBe(JOBS);
      expect(verdict.lost).toEqual([]);
      expect(verdict.duplicated).toEqual([]);
      expect(replayMismatches).toBe(0);
      expect(verdict.unacknowledgedStored).toEqual([]);
      expect(rows.jobs).toHaveLength(JOBS);
      expect(notSucceeded).toEqual([]);
      expect(verdict.missingAssignments).toEqual([]);
      expect(verdict.strayAssignments).toEqual([]);
      expect(verdict.assignmentsOnKafka).toBeGreaterThanOrEqual(JOBS);
    },
    10 * 60_000,
  );
});
