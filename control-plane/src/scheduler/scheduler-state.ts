// The in-memory state every scheduler command works on. Records point at each other (task →
// job → tenant, assignment → node) so the hot paths never look anything up by id. Callers
// treat the state as opaque and mutate it only through the commands; the persisted truth is
// the events those commands return.
import type { EntityId, NodeId, NodeState } from '@enclave/contracts';
import { resolveConfig, type SchedulerConfig } from './config.ts';
import { IndexedHeap, type HeapItem } from './indexed-heap.ts';
import { delayedBefore } from './tenant-queues.ts';
import {
  NodeAdminState,
  NodeStatus,
  type JobState,
  type NodeSpec,
  type TaskRequirements,
  type TaskState,
} from './types.ts';

export interface GpuSlot {
  readonly index: number;
  readonly model: string;
  readonly vramMb: number;
  /** GPUs are exclusive: at most one assignment (live or retiring) holds a GPU. */
  holder: AssignmentRecord | null;
}

export interface NodeRecord {
  readonly id: NodeId;
  spec: NodeSpec;
  /** Sorted by VRAM then index, so the smallest GPU that is big enough is taken first. */
  gpus: GpuSlot[];
  cpuSlots: number;
  tags: ReadonlySet<string>;
  dedicatedTenant: EntityId | undefined;
  admin: NodeAdminState;
  /** Heartbeating within nodeLostAfterMs. */
  live: boolean;
  /** What the agent said in its last heartbeat; null before the first one. */
  agentState: NodeState | null;
  lastHeartbeatAt: number | null;
  cpuUsed: number;
  freeGpus: number;
  /** Live assignments by task id. */
  readonly assignments: Map<EntityId, AssignmentRecord>;
  /** Cancelled or superseded runs that may still occupy the node (see capacity.ts). */
  readonly retiring: Set<AssignmentRecord>;
}

export interface AssignmentRecord {
  readonly task: TaskRecord;
  readonly node: NodeRecord;
  readonly epoch: number;
  readonly gpus: readonly GpuSlot[];
  readonly cpuSlots: number;
  readonly assignedAt: number;
  acceptedAt: number | null;
  leaseExpiresAt: number;
  /** null while live; once retired, when its capacity is released without confirmation. */
  retireDeadline: number | null;
}

export interface TaskRecord extends HeapItem {
  readonly id: EntityId;
  readonly job: JobRecord;
  /** Position in the submission; the last FIFO tie-break. */
  readonly ordinal: number;
  /** Copied from the job so the queue comparator needs no extra hop. */
  readonly priority: number;
  readonly seq: number;
  readonly requirements: TaskRequirements;
  readonly shape: ShapeQueue;
  /** Set once at submission; shared empty arrays stand for "none" to save memory. */
  deps: readonly TaskRecord[];
  dependents: TaskRecord[];
  state: TaskState;
  /** Epoch of the current assignment, or (while queued) of the next one. Starts at 1. */
  epoch: number;
  /** Assignments made so far. */
  attempts: number;
  /** Attempts that ended by a fault: what maxAttempts counts. */
  failures: number;
  /** Deps not yet succeeded. */
  pendingDeps: number;
  /** Back-off: not placed before this instant. */
  notBefore: number;
  assignment: AssignmentRecord | null;
  /** The node the last faulty attempt ran on, avoided for the next one. */
  excludedNode: NodeId | null;
  progress: number | null;
  lastFailure: { readonly nodeId: NodeId; readonly code: string } | null;
}

/**
 * Ready tasks of one tenant that share requirements. Placement walks a shape's node order with
 * a cursor that only moves forward within a round (see placement.ts).
 */
export interface ShapeQueue extends HeapItem {
  readonly key: string;
  readonly tenant: TenantRecord;
  readonly requirements: TaskRequirements;
  readonly tasks: IndexedHeap<TaskRecord>;
  round: number;
  gpuCursor: number;
  cpuCursor: number;
  /** The shape's node orders, valid while `ordersVersion` equals the state's topologyVersion. */
  ordersVersion: number;
  gpuOrder: readonly NodeRecord[] | null;
  cpuOrder: readonly NodeRecord[] | null;
}

export interface TenantRecord extends HeapItem {
  readonly id: EntityId;
  weight: number;
  /** Held by live assignments: the tenant's share. */
  gpusHeld: number;
  cpuHeld: number;
  /** placementSeq of the tenant's last placement, -1 if never: the fair-share tie-break. */
  lastServed: number;
  readonly shapes: Map<string, ShapeQueue>;
  /** Non-empty shape queues, best head first. */
  readonly shapeHeap: IndexedHeap<ShapeQueue>;
}

export interface JobRecord {
  readonly id: EntityId;
  readonly tenant: TenantRecord;
  readonly priority: number;
  readonly seq: number;
  readonly idempotencyKey: string;
  /** SHA-256 (base64url) of the canonical request: what idempotency compares. */
  readonly fingerprint: string;
  readonly submittedAt: number;
  state: JobState;
  readonly tasks: TaskRecord[];
  /** Tasks not yet succeeded, failed or cancelled. */
  unfinished: number;
  /** Created on the first fault or edit: most jobs never have one, and 100k jobs add up. */
  faults: JobFaults | null;
}

export interface JobFaults {
  /** Faults counted per node since it was last unblocked. */
  readonly counts: Map<NodeId, number>;
  readonly blocked: Set<NodeId>;
}

export function isBlocked(job: JobRecord, nodeId: NodeId): boolean {
  return job.faults !== null && job.faults.blocked.has(nodeId);
}

export function hasBlocklist(job: JobRecord): boolean {
  return job.faults !== null && job.faults.blocked.size > 0;
}

export interface SchedulerState {
  readonly config: SchedulerConfig;
  readonly nodes: Map<NodeId, NodeRecord>;
  readonly tenants: Map<EntityId, TenantRecord>;
  readonly jobs: Map<EntityId, JobRecord>;
  readonly tasks: Map<EntityId, TaskRecord>;
  /** `${tenantId}\n${idempotencyKey}` → job. */
  readonly idempotency: Map<string, JobRecord>;
  /** Ready tasks in back-off, earliest first. */
  readonly delayed: IndexedHeap<TaskRecord>;
  /**
   * Static node order per (mode, shape, and tenant when some node is dedicated to it);
   * cleared by topologyChanged whenever a node's capabilities or dedication change.
   */
  readonly nodeOrders: Map<string, NodeRecord[]>;
  /** Tenants some node is dedicated to; null until needed after a topology change. */
  dedicatedTenants: Set<EntityId> | null;
  topologyVersion: number;
  jobSeq: number;
  placementSeq: number;
  round: number;
}

export function createSchedulerState(config: Partial<SchedulerConfig> = {}): SchedulerState {
  return {
    config: resolveConfig(config),
    nodes: new Map(),
    tenants: new Map(),
    jobs: new Map(),
    tasks: new Map(),
    idempotency: new Map(),
    delayed: new IndexedHeap(delayedBefore),
    nodeOrders: new Map(),
    dedicatedTenants: null,
    topologyVersion: 0,
    jobSeq: 0,
    placementSeq: 0,
    round: 0,
  };
}

/** Node capabilities, dedication or the node set changed: cached node orders are void. */
export function topologyChanged(state: SchedulerState): void {
  state.nodeOrders.clear();
  state.dedicatedTenants = null;
  state.topologyVersion++;
}

/**
 * A node's live assignments in task-id order: commands that end several attempts at once walk
 * them in this order, so their outcome does not depend on the order assignments were made in
 * (a state restored from a snapshot must decide exactly as the original).
 */
export function liveAssignmentsOf(node: NodeRecord): AssignmentRecord[] {
  return [...node.assignments.values()].sort((a, b) =>
    a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0,
  );
}

/** May the scheduler put new work on the node now? */
export function isSchedulable(node: NodeRecord): boolean {
  return node.admin === NodeAdminState.Active && node.live && node.agentState === 'ready';
}

export function nodeStatus(node: NodeRecord): NodeStatus {
  if (node.admin === NodeAdminState.Revoked) return NodeStatus.Revoked;
  if (!node.live) return NodeStatus.Offline;
  if (node.admin === NodeAdminState.Cordoned) return NodeStatus.Cordoned;
  if (node.admin === NodeAdminState.Draining || node.agentState === 'draining') return NodeStatus.Draining;
  return NodeStatus.Online;
}

export function isTerminalTask(state: TaskState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

export function isTerminalJob(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}
