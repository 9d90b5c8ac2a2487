// The scheduler's public vocabulary: what callers pass in (node specs, job submissions,
// reports from nodes) and what they get back (assignments and events to persist and publish).
// Wire shapes (cancel bodies, lease refs, failure kinds) come from @enclave/contracts.
import type {
  EntityId,
  Epoch,
  FailureKind,
  LeaseRef,
  NodeHeartbeatBody,
  NodeId,
  TaskCancelBody,
} from '@enclave/contracts';

/** What the operator has decided about a node. Kept apart from liveness so a cordon survives a reboot. */
export const NodeAdminState = {
  Active: 'active',
  /** Takes no new work; what runs finishes (or is evicted when the operator asks). */
  Draining: 'draining',
  /** Takes no new work; running work continues. Used for maintenance windows. */
  Cordoned: 'cordoned',
  /** Certificate revoked: never placed on again; its work is requeued at once. */
  Revoked: 'revoked',
} as const;
export type NodeAdminState = (typeof NodeAdminState)[keyof typeof NodeAdminState];

/** The one word shown for a node, derived from admin state, liveness and the agent's own state. */
export const NodeStatus = {
  Online: 'online',
  Draining: 'draining',
  Cordoned: 'cordoned',
  Offline: 'offline',
  Revoked: 'revoked',
} as const;
export type NodeStatus = (typeof NodeStatus)[keyof typeof NodeStatus];

export const TaskState = {
  Queued: 'queued',
  Assigned: 'assigned',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

export const JobState = {
  Queued: 'queued',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type JobState = (typeof JobState)[keyof typeof JobState];

export interface GpuSpec {
  readonly index: number;
  readonly model: string;
  readonly vramMb: number;
}

export interface NodeCapabilities {
  readonly gpus: readonly GpuSpec[];
  readonly cpuSlots: number;
  readonly tags: readonly string[];
}

export interface NodeSpec {
  readonly id: NodeId;
  readonly capabilities: NodeCapabilities;
  /** When set, only this tenant's tasks are placed on the node. */
  readonly dedicatedTenant?: EntityId;
}

/**
 * What a task needs. GPUs are held exclusively (never shared between tasks); `minVramMb` is
 * per GPU. Every task holds at least one CPU slot, which is also what bounds a round.
 */
export interface TaskRequirements {
  /** 0: a CPU task. */
  readonly gpus: number;
  readonly minVramMb: number;
  readonly cpuSlots: number;
  /** The node must carry all of these. */
  readonly tags: readonly string[];
  /**
   * Only meaningful when gpus > 0. false: GPU-only, never placed without its GPUs. true: GPU
   * preferred, but when no GPU fits in a round the task may run on CPU slots alone.
   */
  readonly cpuCapable: boolean;
}

export type TaskRequirementsInput = Partial<TaskRequirements>;

export interface TaskSpec {
  readonly taskId: EntityId;
  /** Tasks of the same job that must succeed first. */
  readonly deps?: readonly EntityId[];
  readonly requirements?: TaskRequirementsInput;
}

export interface JobSubmission {
  readonly jobId: EntityId;
  readonly tenantId: EntityId;
  /** 0..100, higher first within the tenant. */
  readonly priority: number;
  /** Scoped to the tenant: the same key from two tenants names two jobs. */
  readonly idempotencyKey: string;
  readonly tasks: readonly TaskSpec[];
}

export interface SubmitResult {
  readonly jobId: EntityId;
  /** false: the key was seen before with the same content; nothing was created. */
  readonly created: boolean;
  readonly events: readonly SchedulerEvent[];
}

/** One placement decision: the caller turns it into a task.assign on jobs.<nodeId>. */
export interface Assignment {
  readonly taskId: EntityId;
  readonly jobId: EntityId;
  readonly tenantId: EntityId;
  readonly nodeId: NodeId;
  readonly epoch: Epoch;
  /** Device indices on the node, empty for a CPU placement. */
  readonly gpuIndices: readonly number[];
  readonly cpuSlots: number;
  readonly leaseMs: number;
  readonly leaseExpiresAt: number;
  /** 1 for the first assignment of the task. */
  readonly attempt: number;
}

/** Why a task changed state; persisted with the task and shown to people. */
export const TaskCause = {
  Assigned: 'assigned',
  Accepted: 'accepted',
  Succeeded: 'succeeded',
  SoftFailure: 'soft-failure',
  HardFailure: 'hard-failure',
  AttemptsExhausted: 'attempts-exhausted',
  LeaseExpired: 'lease-expired',
  NodeLost: 'node-lost',
  MissingFromHeartbeat: 'missing-from-heartbeat',
  NodeRevoked: 'node-revoked',
  NodeEvicted: 'node-evicted',
  UserCancelled: 'user-cancelled',
  DependencyCancelled: 'dependency-cancelled',
  JobFailed: 'job-failed',
} as const;
export type TaskCause = (typeof TaskCause)[keyof typeof TaskCause];

export type SchedulerEvent =
  | { readonly type: 'job-submitted'; readonly jobId: EntityId; readonly tenantId: EntityId }
  | { readonly type: 'task-assigned'; readonly assignment: Assignment }
  | {
      readonly type: 'task-state';
      readonly taskId: EntityId;
      readonly jobId: EntityId;
      readonly state: TaskState;
      /** For a queued task: the epoch its next assignment will carry. */
      readonly epoch: Epoch;
      readonly attempts: number;
      readonly failures: number;
      readonly cause: TaskCause;
      /** The node the attempt ran on, when the change ends or starts one. */
      readonly nodeId?: NodeId;
      /** Set when the task is held back before its next placement. */
      readonly notBefore?: number;
      readonly code?: string;
    }
  | { readonly type: 'job-state'; readonly jobId: EntityId; readonly state: JobState }
  /** Publish as task.cancel on jobs.<nodeId>. */
  | { readonly type: 'cancel-order'; readonly nodeId: NodeId; readonly body: TaskCancelBody }
  | { readonly type: 'node-state'; readonly nodeId: NodeId; readonly status: NodeStatus }
  | {
      readonly type: 'blocklist-changed';
      readonly jobId: EntityId;
      readonly nodeId: NodeId;
      readonly blocked: boolean;
      readonly by: 'failures' | 'operator';
    };

/** What a node said about one assignment. */
export interface ReportRef {
  readonly nodeId: NodeId;
  readonly taskId: EntityId;
  readonly epoch: Epoch;
}

export interface ProgressReport extends ReportRef {
  readonly fraction?: number;
}

export interface FailureReport extends ReportRef {
  readonly failure: FailureKind;
  readonly code: string;
}

export type ReportOutcome =
  | { readonly status: 'applied'; readonly events: readonly SchedulerEvent[] }
  /** The assignment was superseded: the report is dropped and changes nothing (fencing). */
  | { readonly status: 'stale-epoch-dropped'; readonly currentEpoch: Epoch }
  /** No such task (never submitted, or forgotten). */
  | { readonly status: 'unknown' }
  /**
   * Current epoch but nothing to apply: a redelivered report (Kafka is at-least-once), a report
   * after the task ended, or a report from a node the assignment is not on.
   */
  | { readonly status: 'ignored'; readonly reason: 'duplicate' | 'not-live' | 'wrong-node' };

export type HeartbeatInput = Pick<NodeHeartbeatBody, 'state' | 'leases'>;

export interface LeaseRenewal {
  readonly status: 'applied' | 'unknown-node' | 'revoked';
  readonly renewed: readonly LeaseRef[];
  /** Listed by the node but superseded or unknown here: a cancel order was issued when possible. */
  readonly stale: readonly LeaseRef[];
  readonly events: readonly SchedulerEvent[];
}

export interface ScheduleResult {
  readonly assignments: readonly Assignment[];
  readonly events: readonly SchedulerEvent[];
  /** Ready tasks left queued after the round (not counting tasks waiting on deps or back-off). */
  readonly readyLeft: number;
}

export interface CommandResult {
  /** false when the command was a no-op (already cancelled, already in that state...). */
  readonly changed: boolean;
  readonly events: readonly SchedulerEvent[];
}

export interface BlocklistView {
  readonly jobId: EntityId;
  readonly blocked: readonly NodeId[];
  /** Failures counted per node for this job since it was last unblocked. */
  readonly failures: Readonly<Record<string, number>>;
  readonly threshold: number;
}

export interface BlocklistEdit {
  readonly add?: readonly NodeId[];
  readonly remove?: readonly NodeId[];
}
