// Writes what a command changed in the scheduler's memory to the rows the snapshot loader reads
// back: tasks, jobs, nodes, tenants, the counters, and every open assignment. Values come from
// the scheduler's own snapshot of the moment, so rows and memory cannot drift apart field by
// field; `loadSchedulerSnapshot` is the inverse.
import type { EntityManager } from '@mikro-orm/core';
import { Assignment } from '../database/entities/assignment.entity.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Node } from '../database/entities/node.entity.ts';
import { SchedulerCounters } from '../database/entities/scheduler-counters.entity.ts';
import { Task } from '../database/entities/task.entity.ts';
import { Tenant } from '../database/entities/tenant.entity.ts';
import type { JobSnapshot, SchedulerSnapshot, TaskSnapshot } from '../scheduler/index.ts';
import type { Changes } from './scheduler-changes.ts';
import { COUNTERS_ID } from './scheduler-snapshot.loader.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export interface SnapshotIndex {
  readonly snapshot: SchedulerSnapshot;
  readonly jobs: ReadonlyMap<string, JobSnapshot>;
  readonly tasks: ReadonlyMap<string, { readonly job: JobSnapshot; readonly task: TaskSnapshot }>;
}

export function indexSnapshot(snapshot: SchedulerSnapshot): SnapshotIndex {
  const jobs = new Map<string, JobSnapshot>();
  const tasks = new Map<string, { job: JobSnapshot; task: TaskSnapshot }>();
  for (const job of snapshot.jobs) {
    jobs.set(job.jobId, job);
    for (const task of job.tasks) tasks.set(task.taskId, { job, task });
  }
  return { snapshot, jobs, tasks };
}

/** A run holding capacity on a node: live (retireDeadline null) or retiring. */
interface Holding {
  readonly taskId: string;
  readonly tenantId: string;
  readonly jobId: string;
  readonly nodeId: string;
  readonly epoch: number;
  readonly gpuIndices: readonly number[];
  readonly cpuSlots: number;
  readonly assignedAt: number;
  readonly leaseExpiresAt: number;
  readonly acceptedAt: number | null;
  readonly retireDeadline: number | null;
}

export interface RowsOutcome {
  /** Jobs whose run rows were closed by this command: candidates to forget once finished. */
  readonly released: Set<string>;
  /** Jobs with a run holding capacity now (never forgotten). */
  readonly holding: Set<string>;
}

export async function writeSchedulerRows(
  em: EntityManager,
  index: SnapshotIndex,
  changes: Changes,
  now: number,
  newId: () => string,
  scope: 'touched' | 'full' = 'full',
): Promise<RowsOutcome> {
  const { snapshot } = index;
  const tasks = new Set(changes.tasks);
  for (const jobId of changes.submitted)
    for (const t of index.jobs.get(jobId)?.tasks ?? []) tasks.add(t.taskId);
  for (const row of await em.find(Task, { id: { $in: [...tasks] } })) {
    const found = index.tasks.get(row.id);
    if (found === undefined) continue;
    const t = found.task;
    Object.assign(row, {
      state: t.state,
      epoch: t.epoch,
      attempts: t.attempts,
      failures: t.failures,
      notBeforeMs: t.notBefore,
      excludedNode: t.excludedNode,
      progress: t.progress,
      lastFailure: t.lastFailure,
      ...(t.assignment !== null ? { nodeId: t.assignment.nodeId } : {}),
      ...(changes.submitted.has(found.job.jobId) ? { deps: [...t.deps], requirements: t.requirements } : {}),
    });
  }
  for (const row of await em.find(Job, { id: { $in: [...changes.jobs] } })) {
    const j = index.jobs.get(row.id);
    if (j === undefined) continue;
    row.state = j.state;
    row.faultCounts = j.faultCounts.map(([node, count]) => [node, count]);
    row.blockedNodes = [...j.blocked];
    if (TERMINAL.has(j.state) && (row.finishedAtMs === null || row.finishedAtMs === undefined))
      row.finishedAtMs = now;
    if (changes.submitted.has(j.jobId)) {
      Object.assign(row, { seq: j.seq, fingerprint: j.fingerprint, submittedAtMs: j.submittedAt });
    }
  }
  const nodes = new Map(snapshot.nodes.map((n) => [n.spec.id, n]));
  for (const row of await em.find(Node, { id: { $in: [...changes.nodes] } })) {
    const n = nodes.get(row.id);
    if (n === undefined) continue;
    Object.assign(row, {
      adminState: n.admin,
      agentState: n.agentState,
      live: n.live,
      lastHeartbeatAtMs: n.lastHeartbeatAt,
    });
  }
  const tenants = new Map(snapshot.tenants.map((t) => [t.id, t]));
  for (const row of await em.find(Tenant, { id: { $in: [...changes.tenants] } })) {
    const t = tenants.get(row.id);
    if (t !== undefined) Object.assign(row, { schedulerWeight: t.weight, schedulerLastServed: t.lastServed });
  }
  const counters =
    (await em.findOne(SchedulerCounters, { id: COUNTERS_ID })) ??
    em.create(SchedulerCounters, { id: COUNTERS_ID, jobSeq: 0, placementSeq: 0 });
  counters.jobSeq = snapshot.jobSeq;
  counters.placementSeq = snapshot.placementSeq;
  return reconcileAssignments(em, index, scope === 'full' ? null : changes, now, newId);
}

function holdingsOf(index: SnapshotIndex): Holding[] {
  const out: Holding[] = [];
  for (const job of index.snapshot.jobs) {
    for (const task of job.tasks) {
      if (task.assignment === null) continue;
      out.push({
        ...task.assignment,
        taskId: task.taskId,
        jobId: job.jobId,
        tenantId: job.tenantId,
        retireDeadline: null,
      });
    }
  }
  for (const node of index.snapshot.nodes) {
    for (const run of node.retiring) {
      const job = index.tasks.get(run.taskId)?.job;
      if (job === undefined) continue;
      out.push({ ...run, jobId: job.jobId, tenantId: job.tenantId, nodeId: node.spec.id, acceptedAt: null });
    }
  }
  return out;
}

/**
 * Open assignment rows (endedAtMs null) are exactly the runs holding capacity in memory: new
 * ones are inserted, changed ones updated (lease, acceptance, retirement), released ones closed.
 * With `touched`, only the rows of the tasks and nodes a command touched are compared: every
 * change of a run is either an event naming its task (assigned, accepted, ended, retired) or a
 * change of its node the command names (lease renewals, retiring runs freed by a heartbeat, an
 * admin change); the one exception, retiring runs freed when their grace runs out, happens in
 * `tick`, which reconciles in full (null).
 */
async function reconcileAssignments(
  em: EntityManager,
  index: SnapshotIndex,
  touched: Changes | null,
  now: number,
  newId: () => string,
): Promise<RowsOutcome> {
  const all = holdingsOf(index);
  const inScope = (taskId: string, nodeId: string) =>
    touched === null || touched.tasks.has(taskId) || touched.nodes.has(nodeId);
  const holdings = new Map(
    all.filter((h) => inScope(h.taskId, h.nodeId)).map((h) => [`${h.taskId}#${h.epoch}`, h]),
  );
  const released = new Set<string>();
  const open =
    touched === null
      ? await em.find(Assignment, { endedAtMs: null })
      : await em.find(Assignment, {
          endedAtMs: null,
          $or: [{ task: { $in: [...touched.tasks] } }, { node: { $in: [...touched.nodes] } }],
        });
  for (const row of open) {
    const taskId = row.task.id;
    const key = `${taskId}#${row.epoch}`;
    const h = holdings.get(key);
    if (h === undefined) {
      row.endedAtMs = now;
      // A job no longer in memory has nothing left to forget.
      const jobId = index.tasks.get(taskId)?.job.jobId;
      if (jobId !== undefined) released.add(jobId);
      continue;
    }
    holdings.delete(key);
    row.leaseExpiresAtMs = h.leaseExpiresAt;
    if (h.retireDeadline === null) row.acceptedAtMs = h.acceptedAt;
    row.retireDeadlineMs = h.retireDeadline;
  }
  for (const h of holdings.values()) {
    em.create(Assignment, {
      id: newId(),
      task: h.taskId,
      tenant: h.tenantId,
      node: h.nodeId,
      epoch: h.epoch,
      gpuIndices: [...h.gpuIndices],
      cpuSlots: h.cpuSlots,
      assignedAtMs: h.assignedAt,
      leaseExpiresAtMs: h.leaseExpiresAt,
      acceptedAtMs: h.acceptedAt,
      retireDeadlineMs: h.retireDeadline,
      endedAtMs: null,
    });
  }
  return { released, holding: new Set(all.map((h) => h.jobId)) };
}
