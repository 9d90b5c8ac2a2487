// Cancelling jobs and tasks. Cancellation is immediate in the books (the task is cancelled,
// nothing of it will be placed again) and asynchronous on the nodes: each running attempt gets
// a task.cancel carrying its epoch, so a late cancel can never hit a newer run of the task.
import { CancelReason, type EntityId } from '@enclave/contracts';
import { jobOrThrow } from './blocklist.ts';
import { notFound } from './errors.ts';
import { isTerminalJob, isTerminalTask } from './scheduler-state.ts';
import type { SchedulerState, TaskRecord } from './scheduler-state.ts';
import { cancelTaskRecord, setJobState } from './task-lifecycle.ts';
import { JobState, TaskCause, type CommandResult, type SchedulerEvent } from './types.ts';

/** `reason` goes to the nodes in each task.cancel (a privacy stop sends `erasure` or `restriction`). */
export function cancelJob(
  state: SchedulerState,
  jobId: EntityId,
  now: number,
  reason: CancelReason = CancelReason.UserCancelled,
): CommandResult {
  const job = jobOrThrow(state, jobId);
  if (isTerminalJob(job.state)) return { changed: false, events: [] };
  const events: SchedulerEvent[] = [];
  setJobState(job, JobState.Cancelled, events);
  for (const task of job.tasks) {
    cancelTaskRecord(state, task, TaskCause.UserCancelled, reason, now, events);
  }
  return { changed: true, events };
}

/**
 * Cancels one task and, since they can never run, every task that depends on it (transitively).
 * The rest of the job carries on; the job ends cancelled once everything else has ended.
 */
export function cancelTask(state: SchedulerState, taskId: EntityId, now: number): CommandResult {
  const task = state.tasks.get(taskId);
  if (task === undefined)
    throw notFound('task', taskId, 'check the id; finished jobs may have been forgotten.');
  if (isTerminalTask(task.state)) return { changed: false, events: [] };
  const events: SchedulerEvent[] = [];
  const pending: TaskRecord[] = [task];
  const seen = new Set<TaskRecord>(pending);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const cause = next === task ? TaskCause.UserCancelled : TaskCause.DependencyCancelled;
    cancelTaskRecord(state, next, cause, CancelReason.UserCancelled, now, events);
    for (const dependent of next.dependents) {
      if (!seen.has(dependent)) {
        seen.add(dependent);
        pending.push(dependent);
      }
    }
  }
  return { changed: true, events };
}
