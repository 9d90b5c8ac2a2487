// The facade the NestJS service will hold: the state plus an injected clock, one method per
// command. Each method returns the events to write (state rows + outbox messages) in one
// transaction. The free functions it delegates to stay exported for tests and tools that
// want to drive time by hand.
import type { CancelReason, EntityId, NodeId } from '@enclave/contracts';
import { getBlocklist, setBlocklist } from './blocklist.ts';
import { cancelJob, cancelTask } from './cancellation.ts';
import type { SchedulerConfig } from './config.ts';
import { setTenantWeight } from './fair-share.ts';
import { expireLeases, renewLeases } from './leases.ts';
import { detectLostNodes, markNodeLost, nodeHeartbeat, registerNode, setNodeAdminState } from './nodes.ts';
import { schedule } from './placement.ts';
import { onAccepted, onFailed, onProgress, onSucceeded } from './reports.ts';
import { createSchedulerState, type SchedulerState } from './scheduler-state.ts';
import { exportState, importState, type SchedulerSnapshot } from './snapshot.ts';
import { forgetJob, submitJob } from './submission.ts';
import type {
  BlocklistEdit,
  BlocklistView,
  CommandResult,
  FailureReport,
  HeartbeatInput,
  JobSubmission,
  LeaseRenewal,
  NodeAdminState,
  NodeSpec,
  ProgressReport,
  ReportOutcome,
  ReportRef,
  ScheduleResult,
  SchedulerEvent,
  SubmitResult,
} from './types.ts';
import type { LeaseRef } from '@enclave/contracts';
import { getJob, getNode, getTask, listNodes, queueStats } from './views.ts';
import type { JobView, NodeView, QueueStats, TaskView } from './views.ts';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Housekeeping to run on a timer (every few seconds): lost nodes first, then expired leases. */
export function tick(state: SchedulerState, now: number): { readonly events: readonly SchedulerEvent[] } {
  const lost = detectLostNodes(state, now).events;
  const expired = expireLeases(state, now).events;
  return { events: [...lost, ...expired] };
}

export class Scheduler {
  readonly state: SchedulerState;
  private readonly clock: Clock;

  /** With a snapshot, resumes from what the persistence layer stored (see snapshot.ts). */
  constructor(options: {
    readonly clock: Clock;
    readonly config?: Partial<SchedulerConfig>;
    readonly snapshot?: SchedulerSnapshot;
  }) {
    this.clock = options.clock;
    this.state =
      options.snapshot === undefined
        ? createSchedulerState(options.config)
        : importState(options.snapshot, options.config ?? {}, options.clock.now());
  }

  exportState(): SchedulerSnapshot {
    return exportState(this.state);
  }

  registerNode(spec: NodeSpec): CommandResult {
    return registerNode(this.state, spec);
  }
  nodeHeartbeat(nodeId: NodeId, heartbeat: HeartbeatInput): LeaseRenewal {
    return nodeHeartbeat(this.state, nodeId, heartbeat, this.clock.now());
  }
  renewLeases(nodeId: NodeId, leases: readonly LeaseRef[]): LeaseRenewal {
    return renewLeases(this.state, nodeId, leases, this.clock.now());
  }
  setNodeAdminState(
    nodeId: NodeId,
    admin: NodeAdminState,
    options?: { readonly evict?: boolean },
  ): CommandResult {
    return setNodeAdminState(this.state, nodeId, admin, this.clock.now(), options);
  }
  markNodeLost(nodeId: NodeId): CommandResult {
    return markNodeLost(this.state, nodeId, this.clock.now());
  }
  submitJob(submission: JobSubmission): SubmitResult {
    return submitJob(this.state, submission, this.clock.now());
  }
  forgetJob(jobId: EntityId): void {
    forgetJob(this.state, jobId);
  }
  setTenantWeight(tenantId: EntityId, weight: number): void {
    setTenantWeight(this.state, tenantId, weight);
  }
  schedule(): ScheduleResult {
    return schedule(this.state, this.clock.now());
  }
  tick(): { readonly events: readonly SchedulerEvent[] } {
    return tick(this.state, this.clock.now());
  }
  onAccepted(ref: ReportRef): ReportOutcome {
    return onAccepted(this.state, ref, this.clock.now());
  }
  onProgress(report: ProgressReport): ReportOutcome {
    return onProgress(this.state, report, this.clock.now());
  }
  onSucceeded(ref: ReportRef): ReportOutcome {
    return onSucceeded(this.state, ref, this.clock.now());
  }
  onFailed(report: FailureReport): ReportOutcome {
    return onFailed(this.state, report, this.clock.now());
  }
  cancelJob(jobId: EntityId, reason?: CancelReason): CommandResult {
    return cancelJob(this.state, jobId, this.clock.now(), reason);
  }
  cancelTask(taskId: EntityId): CommandResult {
    return cancelTask(this.state, taskId, this.clock.now());
  }
  getBlocklist(jobId: EntityId): BlocklistView {
    return getBlocklist(this.state, jobId);
  }
  setBlocklist(jobId: EntityId, edit: BlocklistEdit): CommandResult {
    return setBlocklist(this.state, jobId, edit);
  }
  getJob(jobId: EntityId): JobView | undefined {
    return getJob(this.state, jobId);
  }
  getTask(taskId: EntityId): TaskView | undefined {
    return getTask(this.state, taskId);
  }
  getNode(nodeId: NodeId): NodeView | undefined {
    return getNode(this.state, nodeId);
  }
  listNodes(): NodeView[] {
    return listNodes(this.state);
  }
  queueStats(): QueueStats[] {
    return queueStats(this.state);
  }
}
