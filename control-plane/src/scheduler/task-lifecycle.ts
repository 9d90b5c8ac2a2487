// The transitions every command shares: ending an attempt (requeue with epoch+1, back-off,
// avoiding the node, or failing when attempts run out), success and its wake-up of dependents,
// cancellation, and the job's state following its tasks'.
import { CancelReason, type NodeId } from '@enclave/contracts';
import { recordNodeFault } from './blocklist.ts';
import { couldEverFit, modesOf, releaseLive, retire } from './capacity.ts';
import { dequeue, enqueueReady } from './ready-queue.ts';
import { isBlocked, isTerminalJob, isTerminalTask } from './scheduler-state.ts';
import type { AssignmentRecord, JobRecord, SchedulerState, TaskRecord } from './scheduler-state.ts';
import { JobState, TaskCause, TaskState, type SchedulerEvent } from './types.ts';

export function taskEvent(
  task: TaskRecord,
  cause: TaskCause,
  extra: { nodeId?: NodeId; notBefore?: number; code?: string } = {},
): SchedulerEvent {
  return {
    type: 'task-state',
    taskId: task.id,
    jobId: task.job.id,
    state: task.state,
    epoch: task.epoch,
    attempts: task.attempts,
    failures: task.failures,
    cause,
    ...extra,
  };
}

function setJobState(job: JobRecord, jobState: JobState, events: SchedulerEvent[]): void {
  if (job.state === jobState) return;
  job.state = jobState;
  events.push({ type: 'job-state', jobId: job.id, state: jobState });
}

export function markJobRunning(job: JobRecord, events: SchedulerEvent[]): void {
  if (job.state === JobState.Queued) setJobState(job, JobState.Running, events);
}

/** Exponential: base, 2×base, 4×base... capped. `failures` counts the faulty attempts so far (≥ 1). */
export function backoffMs(state: SchedulerState, failures: number): number {
  const { backoffBaseMs, backoffCapMs } = state.config;
  return Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
}

/**
 * Stops tracking an attempt. With a cancel reason the run may still be going (we are the ones
 * ending it), so a cancel order goes to the node and the capacity stays held until the node
 * confirms; without one the node has told us it ended, and the capacity is free at once.
 */
function endAssignment(
  state: SchedulerState,
  assignment: AssignmentRecord,
  cancelReason: CancelReason | null,
  now: number,
  events: SchedulerEvent[],
): void {
  if (cancelReason === null) {
    releaseLive(assignment);
    return;
  }
  retire(assignment, now + state.config.cancelGraceMs);
  const { task } = assignment;
  events.push({
    type: 'cancel-order',
    nodeId: assignment.node.id,
    body: { jobId: task.job.id, taskId: task.id, epoch: assignment.epoch, reason: cancelReason },
  });
}

export interface AttemptEnd {
  readonly cause: TaskCause;
  /** Counts toward maxAttempts. */
  readonly fault: boolean;
  /** Counts toward the job's blocklist threshold for the node. */
  readonly blameNode: boolean;
  /** null: the node reported the end. Otherwise the run may still be going; cancel it. */
  readonly cancelReason: CancelReason | null;
  readonly backoff: boolean;
  readonly code?: string;
}

/** Ends the live attempt of an assigned or running task and requeues it (epoch+1) or fails it. */
export function endAttempt(
  state: SchedulerState,
  task: TaskRecord,
  end: AttemptEnd,
  now: number,
  events: SchedulerEvent[],
): void {
  const assignment = task.assignment;
  if (assignment === null) return;
  const nodeId = assignment.node.id;
  endAssignment(state, assignment, end.cancelReason, now, events);
  if (end.fault) {
    task.failures++;
    task.lastFailure = { nodeId, code: end.code ?? end.cause };
  }
  if (end.blameNode) recordNodeFault(state, task.job, nodeId, events);
  if (end.fault && task.failures >= state.config.maxAttempts) {
    failTask(state, task, TaskCause.AttemptsExhausted, now, events, { nodeId, code: end.code });
    return;
  }
  task.state = TaskState.Queued;
  task.epoch++;
  task.progress = null;
  task.notBefore = end.backoff ? now + backoffMs(state, task.failures) : now;
  task.excludedNode = end.fault && hasOtherHome(state, task, nodeId) ? nodeId : null;
  enqueueReady(state, task, now);
  const extra = task.notBefore > now ? { nodeId, notBefore: task.notBefore } : { nodeId };
  events.push(taskEvent(task, end.cause, end.code === undefined ? extra : { ...extra, code: end.code }));
}

/**
 * Whether some other enrolled, unrevoked, unblocked node could ever run the task. Without one,
 * avoiding the failing node would strand the task (a one-box install), so it is not avoided.
 */
function hasOtherHome(state: SchedulerState, task: TaskRecord, nodeId: NodeId): boolean {
  const tenantId = task.job.tenant.id;
  for (const node of state.nodes.values()) {
    if (node.id === nodeId || node.admin === 'revoked' || isBlocked(task.job, node.id)) continue;
    for (const mode of modesOf(task.requirements))
      if (couldEverFit(node, tenantId, task.requirements, mode)) return true;
  }
  return false;
}

export function succeedTask(
  state: SchedulerState,
  task: TaskRecord,
  now: number,
  events: SchedulerEvent[],
): void {
  const nodeId = task.assignment?.node.id;
  if (task.assignment !== null) endAssignment(state, task.assignment, null, now, events);
  task.state = TaskState.Succeeded;
  task.progress = 1;
  task.job.unfinished--;
  events.push(taskEvent(task, TaskCause.Succeeded, nodeId === undefined ? {} : { nodeId }));
  for (const dependent of task.dependents) {
    dependent.pendingDeps--;
    if (dependent.pendingDeps === 0 && dependent.state === TaskState.Queued)
      enqueueReady(state, dependent, now);
  }
  finishJobIfDone(task.job, events);
}

/** The task cannot succeed: it fails, and with it the job (its other tasks are cancelled). */
export function failTask(
  state: SchedulerState,
  task: TaskRecord,
  cause: TaskCause,
  now: number,
  events: SchedulerEvent[],
  extra: { nodeId?: NodeId; code?: string | undefined } = {},
): void {
  if (task.assignment !== null) endAssignment(state, task.assignment, null, now, events);
  if (task.state === TaskState.Queued) dequeue(state, task);
  task.state = TaskState.Failed;
  task.job.unfinished--;
  const detail: { nodeId?: NodeId; code?: string } = {};
  if (extra.nodeId !== undefined) detail.nodeId = extra.nodeId;
  if (extra.code !== undefined) detail.code = extra.code;
  events.push(taskEvent(task, cause, detail));
  const job = task.job;
  if (isTerminalJob(job.state)) return;
  setJobState(job, JobState.Failed, events);
  for (const other of job.tasks)
    cancelTaskRecord(state, other, TaskCause.JobFailed, CancelReason.JobFailed, now, events);
}

/** Cancels one task (not its dependents); a running attempt gets a cancel order. */
export function cancelTaskRecord(
  state: SchedulerState,
  task: TaskRecord,
  cause: TaskCause,
  reason: CancelReason,
  now: number,
  events: SchedulerEvent[],
): boolean {
  if (isTerminalTask(task.state)) return false;
  const nodeId = task.assignment?.node.id;
  if (task.assignment !== null) endAssignment(state, task.assignment, reason, now, events);
  else dequeue(state, task);
  task.state = TaskState.Cancelled;
  task.job.unfinished--;
  events.push(taskEvent(task, cause, nodeId === undefined ? {} : { nodeId }));
  finishJobIfDone(task.job, events);
  return true;
}

/**
 * When every task has ended: failed if one failed, else cancelled if one was cancelled (the
 * job's outputs are incomplete), else succeeded.
 */
export function finishJobIfDone(job: JobRecord, events: SchedulerEvent[]): void {
  if (job.unfinished > 0 || isTerminalJob(job.state)) return;
  let outcome: JobState = JobState.Succeeded;
  for (const task of job.tasks) {
    if (task.state === TaskState.Failed) {
      outcome = JobState.Failed;
      break;
    }
    if (task.state === TaskState.Cancelled) outcome = JobState.Cancelled;
  }
  setJobState(job, outcome, events);
}

export { setJobState };
