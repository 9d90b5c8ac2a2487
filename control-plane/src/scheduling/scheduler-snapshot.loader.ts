// Rows → SchedulerSnapshot: how the scheduler's memory is rebuilt at start-up and after a failed
// command. The scheduler holds unfinished jobs, plus finished ones whose cancelled runs still
// hold capacity on a node; the writer forgets a finished job once its last run is released, so
// memory and this load always hold the same jobs (docs/scheduler.md, "Persistence and restart").
import type { EntityManager } from '@mikro-orm/core';
import { Assignment, type AssignmentRow } from '../database/entities/assignment.entity.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Node } from '../database/entities/node.entity.ts';
import { SchedulerCounters } from '../database/entities/scheduler-counters.entity.ts';
import { Task, type TaskRow } from '../database/entities/task.entity.ts';
import { Tenant } from '../database/entities/tenant.entity.ts';
import type {
  JobSnapshot,
  NodeSnapshot,
  RetiringSnapshot,
  SchedulerSnapshot,
  TaskSnapshot,
} from '../scheduler/index.ts';

const TERMINAL_JOB = ['succeeded', 'failed', 'cancelled'] as const;

/** The one row of scheduler counters. */
export const COUNTERS_ID = 1;

export async function loadSchedulerSnapshot(em: EntityManager): Promise<SchedulerSnapshot> {
  const counters = await em.findOne(SchedulerCounters, { id: COUNTERS_ID });
  const open = await em.find(Assignment, { endedAtMs: null }, { orderBy: { id: 'asc' } });
  const openTasks = await em.find(Task, { id: { $in: [...new Set(open.map((a) => a.task.id))] } });
  const jobsWithRuns = [...new Set(openTasks.map((t) => t.job.id))];
  const jobs = await em.find(
    Job,
    { $or: [{ state: { $nin: [...TERMINAL_JOB] } }, { id: { $in: jobsWithRuns } }] },
    { orderBy: { seq: 'asc' } },
  );
  const tasks = await em.find(
    Task,
    { job: { $in: jobs.map((j) => j.id) } },
    { orderBy: { job: 'asc', ordinal: 'asc' } },
  );
  const tenantIds = [...new Set(jobs.map((j) => j.tenant.id))];
  const tenants = await em.find(
    Tenant,
    {
      $or: [{ schedulerLastServed: { $ne: 0 } }, { schedulerWeight: { $ne: 1 } }, { id: { $in: tenantIds } }],
    },
    { orderBy: { id: 'asc' } },
  );
  const nodes = await em.find(Node, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });

  const loadedTasks = new Set(tasks.map((t) => t.id));
  const live = new Map<string, AssignmentRow>();
  const retiring = new Map<string, RetiringSnapshot[]>();
  for (const a of open) {
    if (!loadedTasks.has(a.task.id)) continue;
    if (a.retireDeadlineMs === null || a.retireDeadlineMs === undefined) {
      live.set(`${a.task.id}#${a.epoch}`, a);
      continue;
    }
    const list = retiring.get(a.node.id) ?? [];
    list.push({ taskId: a.task.id, retireDeadline: a.retireDeadlineMs, ...holding(a) });
    retiring.set(a.node.id, list);
  }

  const tasksByJob = Map.groupBy(tasks, (t) => t.job.id);
  return {
    version: 1,
    jobSeq: counters?.jobSeq ?? 0,
    placementSeq: counters?.placementSeq ?? 0,
    // A tenant the scheduler never saw has lastServed 0 in its row (the scheduler says -1).
    tenants: tenants.map((t) => ({
      id: t.id,
      weight: t.schedulerWeight,
      lastServed: t.schedulerLastServed === 0 ? -1 : t.schedulerLastServed,
    })),
    nodes: nodes.map((n): NodeSnapshot => ({
      spec: {
        id: n.id,
        capabilities: n.capabilities,
        ...(n.dedicatedTenant ? { dedicatedTenant: n.dedicatedTenant.id } : {}),
      },
      admin: n.adminState,
      live: n.live,
      agentState: n.agentState ?? null,
      lastHeartbeatAt: n.lastHeartbeatAtMs ?? null,
      retiring: retiring.get(n.id) ?? [],
    })),
    jobs: jobs.map((j): JobSnapshot => ({
      jobId: j.id,
      tenantId: j.tenant.id,
      priority: j.priority,
      seq: j.seq,
      idempotencyKey: j.idempotencyKey,
      fingerprint: j.fingerprint,
      submittedAt: j.submittedAtMs,
      state: j.state,
      faultCounts: j.faultCounts,
      blocked: j.blockedNodes,
      tasks: (tasksByJob.get(j.id) ?? []).map((t) => taskSnapshot(t, live)),
    })),
  };
}

function holding(a: AssignmentRow) {
  return {
    epoch: a.epoch,
    gpuIndices: a.gpuIndices,
    cpuSlots: a.cpuSlots,
    assignedAt: a.assignedAtMs,
    leaseExpiresAt: a.leaseExpiresAtMs,
  };
}

function taskSnapshot(t: TaskRow, live: ReadonlyMap<string, AssignmentRow>): TaskSnapshot {
  const holdsRun = t.state === 'assigned' || t.state === 'running';
  const a = holdsRun ? live.get(`${t.id}#${t.epoch}`) : undefined;
  return {
    taskId: t.id,
    deps: t.deps,
    requirements: t.requirements,
    state: t.state,
    epoch: t.epoch,
    attempts: t.attempts,
    failures: t.failures,
    notBefore: t.notBeforeMs,
    excludedNode: t.excludedNode ?? null,
    progress: t.progress === null || t.progress === undefined ? null : Number(t.progress),
    lastFailure: t.lastFailure ?? null,
    assignment:
      a === undefined ? null : { nodeId: a.node.id, acceptedAt: a.acceptedAtMs ?? null, ...holding(a) },
  };
}
