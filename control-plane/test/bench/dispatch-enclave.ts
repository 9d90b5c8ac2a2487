// The dispatch benchmark's Enclave half: the end-to-end test appliance (real SQLite, real broker,
// e2e settings) with `nodes` scripted agents enrolled over REST, and `jobs` single-task
// `transcode` jobs submitted over REST (idempotency keys), `concurrency` in flight. Latency is
// submit request start → the control plane committed the task's `running` transition (its
// `task.accepted` applied), seen on the in-process LiveEventBus that feeds the SSE streams.
import { JobDetailSchema, NodeListSchema, ProjectSchema } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { LiveEventBus, type JobLiveEvent } from '../../src/live-events/live-events.bus.ts';
import { enrollNode, ScriptedAgent } from '../e2e-support/scripted-agent.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import { startE2eAppliance } from '../e2e-support/e2e-appliance.ts';
import type { TestAppliance } from '../support/test-appliance.ts';
import { closedLoop, figures, rssMib, timeout, type LoopFigures } from './dispatch-stats.ts';

export interface EnclaveFigures {
  readonly nodes: number;
  /** Submit → accepted applied; perSecond over first submit → last accepted applied. */
  readonly accepted: LoopFigures;
  /** Submit request start → its 201 reply (the job committed and placed). */
  readonly submitReply: LoopFigures;
  /** Jobs per second from the first submit to the last task.assign an agent read on jobs.<node>. */
  readonly assignPerSecond: number;
  readonly enrollSeconds: number;
  readonly rssBeforeMib: number;
  readonly rssApplianceMib: number;
  readonly rssAgentsMib: number;
  readonly rssAfterMib: number;
}

async function inBatches<T>(count: number, batch: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, k) => fn(i + k)))));
  }
  return out;
}

/** The end-to-end appliance, with enrollment not rate-limited (100 nodes enroll at once). */
function startBenchAppliance(run: string): Promise<TestAppliance> {
  return startE2eAppliance(run, { ENCLAVE_ENROLL_RATE_PER_MINUTE: '10000' });
}

export async function enclaveDispatch(
  dir: string,
  nodes: number,
  jobs: number,
  concurrency: number,
): Promise<EnclaveFigures> {
  const rssBeforeMib = rssMib();
  const run = randomBytes(3).toString('hex');
  const t = await startBenchAppliance(run);
  const agents: ScriptedAgent[] = [];
  try {
    const tenant = await t.createTenant(`bench-${run}`);
    const admin = await t.login(await t.createUser(tenant, 'it-admin'));
    const producer = await t.login(await t.createUser(tenant, 'producer'));
    const project = await t.api({
      method: 'POST',
      path: '/api/v1/projects',
      cookie: producer,
      body: { name: 'b' },
    });
    const projectId = bodyOf(project, ProjectSchema).projectId;
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    const rssApplianceMib = rssMib();

    // Every task.assign an agent reads, timed (the helper keeps them in an array).
    let lastAssignAt = 0;
    const enrollStarted = performance.now();
    const enrolled = await inBatches(nodes, 10, (i) => enrollNode(t, admin, `e2e-${run}-n${i}`, dir));
    for (const node of enrolled) {
      const agent = new ScriptedAgent(node, 'complete');
      const push = agent.assigns.push.bind(agent.assigns);
      agent.assigns.push = (...items) => {
        lastAssignAt = performance.now();
        return push(...items);
      };
      agents.push(agent);
    }
    await inBatches(agents.length, 10, (i) => agents[i]!.start());
    const ids = new Set(agents.map((a) => a.nodeId));
    let online = 0;
    const onlineWait = Number(process.env['BENCH_DISPATCH_ONLINE_WAIT_S'] ?? 90) * 1000;
    try {
      await waitFor(
        `${nodes} nodes online`,
        async () => {
          const list = bodyOf(await t.api({ path: '/api/v1/nodes', cookie: admin }), NodeListSchema);
          online = list.items.filter((n) => ids.has(n.nodeId) && n.status === 'online').length;
          return online === nodes;
        },
        onlineWait,
        250,
      );
    } catch {
      const agentsStarted = (performance.now() - enrollStarted) / 1000;
      throw new Error(
        `only ${online} of ${nodes} nodes online ${agentsStarted.toFixed(0)} s after enrollment began`,
      );
    }
    const enrollSeconds = (performance.now() - enrollStarted) / 1000;
    console.error(`[bench] ${nodes} nodes online after ${enrollSeconds.toFixed(1)} s`);
    const rssAgentsMib = rssMib();

    // The task's `running` transition (task.accepted applied), as the SSE streams get it.
    const accepted = new Map<string, () => void>();
    const early = new Set<string>();
    const bus = t.running.app.get(LiveEventBus);
    const publish = bus.publishJob.bind(bus);
    bus.publishJob = (events: readonly JobLiveEvent[]) => {
      for (const { entry } of events) {
        if (entry.taskId !== null && entry.state === 'running') {
          const done = accepted.get(entry.jobId);
          if (done) done();
          else early.add(entry.jobId);
        }
      }
      publish(events);
    };
    const replies: number[] = [];
    const submitOne = async (key: string): Promise<number> => {
      const t0 = performance.now();
      const reply = await t.api({
        method: 'POST',
        path: `/api/v1/projects/${projectId}/jobs`,
        cookie: producer,
        body: { idempotencyKey: key, template: 'transcode', params: { source, height: 360 } },
      });
      if (reply.status !== 201) throw new Error(`submit: ${reply.status} ${reply.text}`);
      replies.push(performance.now() - t0);
      const { jobId } = bodyOf(reply, JobDetailSchema);
      if (!early.delete(jobId)) {
        try {
          await timeout(new Promise<void>((resolve) => accepted.set(jobId, resolve)), 60_000, `job ${jobId}`);
        } catch (error) {
          const job = bodyOf(
            await t.api({ path: `/api/v1/jobs/${jobId}`, cookie: producer }),
            JobDetailSchema,
          );
          const task = job.tasks[0];
          throw new Error(
            `${String(error)} with ${nodes} nodes: job ${job.state}, task ${task?.state} on ${task?.nodeId}`,
          );
        }
        accepted.delete(jobId);
      }
      return performance.now() - t0;
    };

    for (let i = 0; i < 10; i++) await submitOne(`bench-${run}-warm-${i}`); // warm-up, not counted
    replies.length = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await closedLoop(jobs, concurrency, async (i) => {
      latencies.push(await submitOne(`bench-${run}-${i}`));
    });
    const span = performance.now() - started;
    return {
      nodes,
      accepted: figures(latencies, span),
      submitReply: figures(replies, span),
      assignPerSecond: Math.round((jobs / (lastAssignAt - started)) * 1000 * 10) / 10,
      enrollSeconds: Math.round(enrollSeconds * 10) / 10,
      rssBeforeMib,
      rssApplianceMib,
      rssAgentsMib,
      rssAfterMib: rssMib(),
    };
  } finally {
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    await t.stop();
  }
}
