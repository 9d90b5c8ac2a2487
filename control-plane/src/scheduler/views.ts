// Read-only snapshots for the API, the UI and tests. Plain data, detached from the records,
// so nothing outside the scheduler can reach into its state through a view.
import type { EntityId, NodeId, NodeState } from '@enclave/contracts';
import { nodeStatus, isSchedulable } from './scheduler-state.ts';
import type { AssignmentRecord, NodeRecord, SchedulerState, TaskRecord } from './scheduler-state.ts';
import type {
  Assignment,
  JobState,
  NodeAdminState,
  NodeSpec,
  NodeStatus,
  TaskRequirements,
  TaskState,
} from './types.ts';

export function assignmentView(record: AssignmentRecord, leaseMs: number): Assignment {
  const { task } = record;
  return {
    taskId: task.id,
    jobId: task.job.id,
    tenantId: task.job.tenant.id,
    nodeId: record.node.id,
    epoch: record.epoch,
    gpuIndices: record.gpus.map((gpu) => gpu.index),
    cpuSlots: record.cpuSlots,
    leaseMs,
    leaseExpiresAt: record.leaseExpiresAt,
    attempt: task.attempts,
  };
}

export interface TaskView {
  readonly taskId: EntityId;
  readonly jobId: EntityId;
  readonly state: TaskState;
  readonly epoch: number;
  readonly attempts: number;
  readonly failures: number;
  readonly deps: readonly EntityId[];
  readonly requirements: TaskRequirements;
  readonly notBefore: number;
  /** Waiting for deps to succeed. */
  readonly blocked: boolean;
  readonly excludedNode: NodeId | null;
  readonly progress: number | null;
  readonly assignment: Assignment | null;
  readonly lastFailure: { readonly nodeId: NodeId; readonly code: string } | null;
}

export function taskView(state: SchedulerState, task: TaskRecord): TaskView {
  return {
    taskId: task.id,
    jobId: task.job.id,
    state: task.state,
    epoch: task.epoch,
    attempts: task.attempts,
    failures: task.failures,
    deps: task.deps.map((dep) => dep.id),
    requirements: task.requirements,
    notBefore: task.notBefore,
    blocked: task.pendingDeps > 0,
    excludedNode: task.excludedNode,
    progress: task.progress,
    assignment: task.assignment === null ? null : assignmentView(task.assignment, state.config.leaseMs),
    lastFailure: task.lastFailure,
  };
}

export interface JobView {
  readonly jobId: EntityId;
  readonly tenantId: EntityId;
  readonly priority: number;
  readonly state: JobState;
  readonly submittedAt: number;
  readonly idempotencyKey: string;
  readonly tasks: readonly TaskView[];
  readonly blocklist: readonly NodeId[];
}

export function getJob(state: SchedulerState, jobId: EntityId): JobView | undefined {
  const job = state.jobs.get(jobId);
  if (job === undefined) return undefined;
  return {
    jobId: job.id,
    tenantId: job.tenant.id,
    priority: job.priority,
    state: job.state,
    submittedAt: job.submittedAt,
    idempotencyKey: job.idempotencyKey,
    tasks: job.tasks.map((task) => taskView(state, task)),
    blocklist: [...(job.faults?.blocked ?? [])].sort(),
  };
}

export function getTask(state: SchedulerState, taskId: EntityId): TaskView | undefined {
  const task = state.tasks.get(taskId);
  return task === undefined ? undefined : taskView(state, task);
}

export interface NodeView {
  readonly nodeId: NodeId;
  readonly status: NodeStatus;
  readonly admin: NodeAdminState;
  readonly agentState: NodeState | null;
  readonly schedulable: boolean;
  readonly lastHeartbeatAt: number | null;
  readonly spec: NodeSpec;
  readonly free: { readonly gpus: readonly number[]; readonly cpuSlots: number };
  readonly running: readonly EntityId[];
  /** Cancelled or superseded runs still holding capacity until the node confirms they stopped. */
  readonly retiring: number;
}

export function nodeView(node: NodeRecord): NodeView {
  return {
    nodeId: node.id,
    status: nodeStatus(node),
    admin: node.admin,
    agentState: node.agentState,
    schedulable: isSchedulable(node),
    lastHeartbeatAt: node.lastHeartbeatAt,
    spec: node.spec,
    free: {
      gpus: node.gpus.filter((gpu) => gpu.holder === null).map((gpu) => gpu.index),
      cpuSlots: node.cpuSlots - node.cpuUsed,
    },
    running: [...node.assignments.keys()].sort(),
    retiring: node.retiring.size,
  };
}

export function getNode(state: SchedulerState, nodeId: NodeId): NodeView | undefined {
  const node = state.nodes.get(nodeId);
  return node === undefined ? undefined : nodeView(node);
}

export function listNodes(state: SchedulerState): NodeView[] {
  return [...state.nodes.values()].map(nodeView);
}

export interface QueueStats {
  readonly tenantId: EntityId;
  readonly weight: number;
  readonly ready: number;
  readonly gpusHeld: number;
  readonly cpuHeld: number;
}

/** Per tenant: ready tasks (deps met, not in back-off) and what it holds. */
export function queueStats(state: SchedulerState): QueueStats[] {
  return [...state.tenants.values()].map((tenant) => ({
    tenantId: tenant.id,
    weight: tenant.weight,
    ready: tenant.shapeHeap.values().reduce((sum, shape) => sum + shape.tasks.size, 0),
    gpusHeld: tenant.gpusHeld,
    cpuHeld: tenant.cpuHeld,
  }));
}
