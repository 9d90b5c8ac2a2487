// Export and import of the whole scheduler state as plain JSON-able data. The control plane
// keeps this state in memory; on restart it rebuilds it from what it persisted (the rows the
// events of each command updated). The snapshot is the shape those rows must be able to fill:
// exportState(importState(s)) equals s, and the restored scheduler decides exactly as the old
// one would have. Import re-checks capacity, so a corrupt store is refused, not believed.
import type { EntityId, NodeId, NodeState } from '@enclave/contracts';
import { hold, retire } from './capacity.ts';
import type { SchedulerConfig } from './config.ts';
import { conflict, invalid } from './errors.ts';
import { enqueueReady } from './ready-queue.ts';
import { normalRequirements } from './requirements.ts';
import { createSchedulerState, isTerminalTask } from './scheduler-state.ts';
import type { GpuSlot, NodeRecord, SchedulerState, TaskRecord } from './scheduler-state.ts';
import { buildJob } from './submission.ts';
import { tenantOf } from './tenant-queues.ts';
import { registerNode } from './nodes.ts';
import type { JobState, NodeAdminState, NodeSpec, TaskRequirements, TaskState } from './types.ts';

export interface HoldingSnapshot {
  readonly epoch: number;
  readonly gpuIndices: readonly number[];
  readonly cpuSlots: number;
  readonly assignedAt: number;
  readonly leaseExpiresAt: number;
}

export interface LiveAssignmentSnapshot extends HoldingSnapshot {
  readonly nodeId: NodeId;
  readonly acceptedAt: number | null;
}

export interface RetiringSnapshot extends HoldingSnapshot {
  readonly taskId: EntityId;
  readonly retireDeadline: number;
}

export interface NodeSnapshot {
  readonly spec: NodeSpec;
  readonly admin: NodeAdminState;
  readonly live: boolean;
  readonly agentState: NodeState | null;
  readonly lastHeartbeatAt: number | null;
  /** Cancelled or superseded runs still holding capacity. Those of forgotten jobs are not kept. */
  readonly retiring: readonly RetiringSnapshot[];
}

export interface TaskSnapshot {
  readonly taskId: EntityId;
  readonly deps: readonly EntityId[];
  readonly requirements: TaskRequirements;
  readonly state: TaskState;
  readonly epoch: number;
  readonly attempts: number;
  readonly failures: number;
  readonly notBefore: number;
  readonly excludedNode: NodeId | null;
  readonly progress: number | null;
  readonly lastFailure: { readonly nodeId: NodeId; readonly code: string } | null;
  readonly assignment: LiveAssignmentSnapshot | null;
}

export interface JobSnapshot {
  readonly jobId: EntityId;
  readonly tenantId: EntityId;
  readonly priority: number;
  readonly seq: number;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly submittedAt: number;
  readonly state: JobState;
  readonly faultCounts: readonly (readonly [NodeId, number])[];
  readonly blocked: readonly NodeId[];
  readonly tasks: readonly TaskSnapshot[];
}

export interface SchedulerSnapshot {
  readonly version: 1;
  readonly jobSeq: number;
  readonly placementSeq: number;
  readonly tenants: readonly {
    readonly id: EntityId;
    readonly weight: number;
    readonly lastServed: number;
  }[];
  readonly nodes: readonly NodeSnapshot[];
  readonly jobs: readonly JobSnapshot[];
}

function holding(a: {
  epoch: number;
  gpus: readonly GpuSlot[];
  cpuSlots: number;
  assignedAt: number;
  leaseExpiresAt: number;
}) {
  return {
    epoch: a.epoch,
    gpuIndices: a.gpus.map((gpu) => gpu.index),
    cpuSlots: a.cpuSlots,
    assignedAt: a.assignedAt,
    leaseExpiresAt: a.leaseExpiresAt,
  };
}

export function exportState(state: SchedulerState): SchedulerSnapshot {
  return {
    version: 1,
    jobSeq: state.jobSeq,
    placementSeq: state.placementSeq,
    tenants: [...state.tenants.values()].map((t) => ({
      id: t.id,
      weight: t.weight,
      lastServed: t.lastServed,
    })),
    nodes: [...state.nodes.values()].map((node) => ({
      spec: node.spec,
      admin: node.admin,
      live: node.live,
      agentState: node.agentState,
      lastHeartbeatAt: node.lastHeartbeatAt,
      retiring: [...node.retiring]
        .filter((a) => state.tasks.get(a.task.id) === a.task)
        .map((a) => ({ taskId: a.task.id, retireDeadline: a.retireDeadline!, ...holding(a) })),
    })),
    jobs: [...state.jobs.values()].map((job) => ({
      jobId: job.id,
      tenantId: job.tenant.id,
      priority: job.priority,
      seq: job.seq,
      idempotencyKey: job.idempotencyKey,
      fingerprint: job.fingerprint,
      submittedAt: job.submittedAt,
      state: job.state,
      faultCounts: [...(job.faults?.counts ?? [])],
      blocked: [...(job.faults?.blocked ?? [])],
      tasks: job.tasks.map((task) => ({
        taskId: task.id,
        deps: task.deps.map((dep) => dep.id),
        requirements: task.requirements,
        state: task.state,
        epoch: task.epoch,
        attempts: task.attempts,
        failures: task.failures,
        notBefore: task.notBefore,
        excludedNode: task.excludedNode,
        progress: task.progress,
        lastFailure: task.lastFailure,
        assignment:
          task.assignment === null
            ? null
            : {
                nodeId: task.assignment.node.id,
                acceptedAt: task.assignment.acceptedAt,
                ...holding(task.assignment),
              },
      })),
    })),
  };
}

/** Takes the snapshot's GPUs on the node, refusing anything a consistent store cannot hold. */
function restoreHolding(task: TaskRecord, node: NodeRecord | undefined, snap: HoldingSnapshot) {
  if (node === undefined) throw conflict(`Snapshot places task ${task.id} on an unknown node.`);
  const gpus = snap.gpuIndices.map((index) => node.gpus.find((gpu) => gpu.index === index));
  if (
    gpus.some((gpu) => gpu === undefined || gpu.holder !== null) ||
    new Set(snap.gpuIndices).size !== gpus.length
  ) {
    throw conflict(`Snapshot gives task ${task.id} GPUs of ${node.id} that are missing or taken.`);
  }
  if (node.cpuUsed + snap.cpuSlots > node.cpuSlots) {
    throw conflict(`Snapshot overcommits CPU slots of ${node.id}.`);
  }
  return hold(task, node, { ...snap, gpus: gpus as GpuSlot[] });
}

export function importState(
  snapshot: SchedulerSnapshot,
  config: Partial<SchedulerConfig>,
  now: number,
): SchedulerState {
  if (snapshot.version !== 1)
    throw invalid('scheduler snapshot', [{ path: 'version', message: 'must be 1' }]);
  const state = createSchedulerState(config);
  state.jobSeq = snapshot.jobSeq;
  state.placementSeq = snapshot.placementSeq;
  for (const t of snapshot.tenants) {
    const tenant = tenantOf(state, t.id);
    tenant.weight = t.weight;
    tenant.lastServed = t.lastServed;
  }
  for (const n of snapshot.nodes) {
    registerNode(state, n.spec);
    const node = state.nodes.get(n.spec.id)!;
    Object.assign(node, {
      admin: n.admin,
      live: n.live,
      agentState: n.agentState,
      lastHeartbeatAt: n.lastHeartbeatAt,
    });
  }
  for (const j of snapshot.jobs) {
    const issues: { path: string; message: string }[] = [];
    const specs = j.tasks.map((t, i) => ({
      taskId: t.taskId,
      deps: t.deps,
      requirements: normalRequirements(t.requirements, `jobs.${j.jobId}.tasks[${i}]`, issues),
    }));
    if (issues.length > 0) throw invalid('scheduler snapshot', issues);
    const job = buildJob(state, { ...j, id: j.jobId }, specs, now);
    job.state = j.state;
    if (j.faultCounts.length > 0 || j.blocked.length > 0) {
      job.faults = { counts: new Map(j.faultCounts), blocked: new Set(j.blocked) };
    }
    j.tasks.forEach((t, i) => {
      const task = job.tasks[i]!;
      if ((t.state === 'assigned' || t.state === 'running') !== (t.assignment !== null)) {
        throw conflict(
          `Snapshot task ${t.taskId} is ${t.state} but has ${t.assignment ? 'an' : 'no'} assignment.`,
        );
      }
      Object.assign(task, {
        state: t.state,
        epoch: t.epoch,
        attempts: t.attempts,
        failures: t.failures,
        notBefore: t.notBefore,
        excludedNode: t.excludedNode,
        progress: t.progress,
        lastFailure: t.lastFailure,
      });
    });
    job.unfinished = job.tasks.filter((task) => !isTerminalTask(task.state)).length;
    for (const task of job.tasks)
      task.pendingDeps = task.deps.filter((dep) => dep.state !== 'succeeded').length;
  }
  // Retiring runs first: restoring one detaches it from its task, which must not touch a live
  // assignment of a newer epoch restored later.
  for (const n of snapshot.nodes) {
    const node = state.nodes.get(n.spec.id)!;
    for (const r of n.retiring) {
      const task = state.tasks.get(r.taskId);
      if (task === undefined) continue;
      retire(restoreHolding(task, node, r), r.retireDeadline);
    }
  }
  for (const j of snapshot.jobs) {
    for (const t of j.tasks) {
      const task = state.tasks.get(t.taskId)!;
      if (t.assignment !== null) {
        restoreHolding(task, state.nodes.get(t.assignment.nodeId), t.assignment).acceptedAt =
          t.assignment.acceptedAt;
      } else if (task.state === 'queued' && task.pendingDeps === 0) {
        enqueueReady(state, task, now);
      }
    }
  }
  return state;
}
