// Leases. An assignment is valid until leaseExpiresAt; the node renews it by listing
// (taskId, epoch) in every heartbeat. A lease that runs out means we no longer know whether
// the run is alive, so the task is requeued with epoch+1 (the old run is fenced off: its
// results will be dropped) and the old node is told to cancel in case it is.
import { CancelReason, type LeaseRef, type NodeId } from '@enclave/contracts';
import { releaseRetired } from './capacity.ts';
import { liveAssignmentsOf } from './scheduler-state.ts';
import type { AssignmentRecord, NodeRecord, SchedulerState } from './scheduler-state.ts';
import { endAttempt } from './task-lifecycle.ts';
import { TaskCause, TaskState, type LeaseRenewal, type SchedulerEvent } from './types.ts';

/**
 * Applies the lease list of one heartbeat from `nodeId`:
 *  - a current lease of a live assignment on this node is renewed;
 *  - a lease we superseded or cancelled is "stale": if it is still retiring here, its capacity
 *    stays held; otherwise a cancel order is issued (when the task is still known);
 *  - a retiring run the node no longer lists has stopped: its capacity is freed;
 *  - a running assignment the node does not list, although it vouched for it (acceptance, or
 *    the last heartbeat that listed it) more than missingLeaseGraceMs ago, was lost by the
 *    node: requeued with epoch+1.
 */
export function renewLeases(
  state: SchedulerState,
  nodeId: NodeId,
  leases: readonly LeaseRef[],
  now: number,
): LeaseRenewal {
  const node = state.nodes.get(nodeId);
  if (node === undefined) return { status: 'unknown-node', renewed: [], stale: [], events: [] };
  if (node.admin === 'revoked') return { status: 'revoked', renewed: [], stale: [], events: [] };
  const events: SchedulerEvent[] = [];
  const renewed: LeaseRef[] = [];
  const stale: LeaseRef[] = [];
  const listed = new Set<string>();
  for (const lease of leases) {
    listed.add(leaseKey(lease.taskId, lease.epoch));
    const assignment = node.assignments.get(lease.taskId);
    if (assignment !== undefined && assignment.epoch === lease.epoch) {
      assignment.leaseExpiresAt = now + state.config.leaseMs;
      renewed.push(lease);
      continue;
    }
    stale.push(lease);
    if (findRetiring(node, lease) !== undefined) continue;
    const task = state.tasks.get(lease.taskId);
    if (task !== undefined) {
      events.push({
        type: 'cancel-order',
        nodeId,
        body: { jobId: task.job.id, taskId: task.id, epoch: lease.epoch, reason: CancelReason.LeaseExpired },
      });
    }
  }
  for (const retiring of [...node.retiring]) {
    if (!listed.has(leaseKey(retiring.task.id, retiring.epoch))) releaseRetired(retiring);
  }
  for (const assignment of liveAssignmentsOf(node)) {
    if (listed.has(leaseKey(assignment.task.id, assignment.epoch))) continue;
    const accepted = assignment.acceptedAt;
    if (assignment.task.state !== TaskState.Running || accepted === null) continue;
    // The grace runs from the node's last word on the run, not from acceptance: a task that ran
    // longer than the grace and has just finished leaves the heartbeat while its result may
    // still be in flight on the results topic (seen with the real agent: 11 s face blurring).
    const vouched = Math.max(accepted, assignment.leaseExpiresAt - state.config.leaseMs);
    if (now - vouched < state.config.missingLeaseGraceMs) continue;
    endAttempt(
      state,
      assignment.task,
      {
        cause: TaskCause.MissingFromHeartbeat,
        fault: true,
        blameNode: true,
        cancelReason: null,
        backoff: false,
      },
      now,
      events,
    );
  }
  return { status: 'applied', renewed, stale, events };
}

function leaseKey(taskId: string, epoch: number): string {
  return `${taskId}\n${epoch}`;
}

function findRetiring(node: NodeRecord, lease: LeaseRef): AssignmentRecord | undefined {
  for (const retiring of node.retiring) {
    if (retiring.task.id === lease.taskId && retiring.epoch === lease.epoch) return retiring;
  }
  return undefined;
}

/**
 * Requeues every live assignment whose lease has run out (epoch+1, the node avoided next time,
 * a fault counted against it for the job), and frees the capacity of retiring runs whose grace
 * is over. Call it on a timer; it is O(assignments).
 */
export function expireLeases(
  state: SchedulerState,
  now: number,
): { readonly requeued: readonly LeaseRef[]; readonly events: readonly SchedulerEvent[] } {
  const events: SchedulerEvent[] = [];
  for (const node of state.nodes.values()) {
    for (const retiring of [...node.retiring]) {
      if (retiring.retireDeadline !== null && retiring.retireDeadline <= now) releaseRetired(retiring);
    }
    for (const assignment of liveAssignmentsOf(node)) {
      if (assignment.leaseExpiresAt > now) continue;
      endAttempt(
        state,
        assignment.task,
        {
          cause: TaskCause.LeaseExpired,
          fault: true,
          blameNode: true,
          cancelReason: CancelReason.LeaseExpired,
          backoff: false,
        },
        now,
        events,
      );
    }
  }
  // The requeued tasks with the epoch their next assignment will carry (tasks that ran out of
  // attempts failed instead and are only in the events).
  const requeued = events.flatMap((e) =>
    e.type === 'task-state' && e.state === TaskState.Queued ? [{ taskId: e.taskId, epoch: e.epoch }] : [],
  );
  return { requeued, events };
}
