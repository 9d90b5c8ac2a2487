// What nodes report about their assignments (results.<node>): accepted, progress, succeeded,
// failed. Every report names (task, epoch); only the current epoch of a live assignment, from
// the node it is on, changes anything. Anything else is dropped and said so, never applied:
// that is the fence that makes a late result of a superseded run harmless.
import { FailureKind } from '@enclave/contracts';
import type { SchedulerState, TaskRecord } from './scheduler-state.ts';
import { endAttempt, failTask, succeedTask, taskEvent } from './task-lifecycle.ts';
import {
  TaskCause,
  TaskState,
  type FailureReport,
  type ProgressReport,
  type ReportOutcome,
  type ReportRef,
  type SchedulerEvent,
} from './types.ts';

type Resolved = { readonly task: TaskRecord } | { readonly outcome: ReportOutcome };

function resolve(state: SchedulerState, ref: ReportRef): Resolved {
  const task = state.tasks.get(ref.taskId);
  if (task === undefined) return { outcome: { status: 'unknown' } };
  if (ref.epoch !== task.epoch)
    return { outcome: { status: 'stale-epoch-dropped', currentEpoch: task.epoch } };
  const assignment = task.assignment;
  if (assignment === null) return { outcome: { status: 'ignored', reason: 'not-live' } };
  if (assignment.node.id !== ref.nodeId) return { outcome: { status: 'ignored', reason: 'wrong-node' } };
  return { task };
}

/** The node took the assignment: running, and the lease counts from now. */
export function onAccepted(state: SchedulerState, ref: ReportRef, now: number): ReportOutcome {
  const found = resolve(state, ref);
  if ('outcome' in found) return found.outcome;
  const { task } = found;
  if (task.state === TaskState.Running) return { status: 'ignored', reason: 'duplicate' };
  return { status: 'applied', events: [start(state, task, now)] };
}

function start(state: SchedulerState, task: TaskRecord, now: number): SchedulerEvent {
  const assignment = task.assignment!;
  task.state = TaskState.Running;
  assignment.acceptedAt = now;
  assignment.leaseExpiresAt = now + state.config.leaseMs;
  return taskEvent(task, TaskCause.Accepted, { nodeId: assignment.node.id });
}

/**
 * Progress is advisory and does not renew the lease (heartbeats do). It does imply the node
 * took the task, so an assignment whose `accepted` was lost becomes running.
 */
export function onProgress(state: SchedulerState, report: ProgressReport, now: number): ReportOutcome {
  const found = resolve(state, report);
  if ('outcome' in found) return found.outcome;
  const { task } = found;
  const events: SchedulerEvent[] = [];
  if (task.state === TaskState.Assigned) events.push(start(state, task, now));
  if (report.fraction !== undefined && Number.isFinite(report.fraction)) {
    task.progress = Math.min(1, Math.max(0, report.fraction));
  }
  return { status: 'applied', events };
}

export function onSucceeded(state: SchedulerState, ref: ReportRef, now: number): ReportOutcome {
  const found = resolve(state, ref);
  if ('outcome' in found) return found.outcome;
  const events: SchedulerEvent[] = [];
  succeedTask(state, found.task, now, events);
  return { status: 'applied', events };
}

/**
 * Soft: the node or its circumstances failed; try again elsewhere after a back-off, and count
 * the fault against the node for this job. Hard: the task itself cannot succeed; the job fails.
 */
export function onFailed(state: SchedulerState, report: FailureReport, now: number): ReportOutcome {
  const found = resolve(state, report);
  if ('outcome' in found) return found.outcome;
  const { task } = found;
  const events: SchedulerEvent[] = [];
  if (report.failure === FailureKind.Hard) {
    task.failures++;
    task.lastFailure = { nodeId: report.nodeId, code: report.code };
    failTask(state, task, TaskCause.HardFailure, now, events, { nodeId: report.nodeId, code: report.code });
  } else {
    endAttempt(
      state,
      task,
      {
        cause: TaskCause.SoftFailure,
        fault: true,
        blameNode: true,
        cancelReason: null,
        backoff: true,
        code: report.code,
      },
      now,
      events,
    );
  }
  return { status: 'applied', events };
}
