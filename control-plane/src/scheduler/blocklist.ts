// Per-job node blocklist. A node that faults N of a job's tasks (soft failures, expired leases,
// runs it lost while alive) is probably what is wrong for that job (a driver, a codec, a disk),
// so the job stops using it; other jobs still may. Operators see the counts and can add or
// remove nodes by hand; removing one also forgets its count, so it gets a fresh N.
import type { EntityId, NodeId } from '@enclave/contracts';
import { notFound } from './errors.ts';
import type { JobFaults, JobRecord, SchedulerState } from './scheduler-state.ts';
import type { BlocklistEdit, BlocklistView, CommandResult, SchedulerEvent } from './types.ts';

function faultsOf(job: JobRecord): JobFaults {
  job.faults ??= { counts: new Map(), blocked: new Set() };
  return job.faults;
}

export function recordNodeFault(
  state: SchedulerState,
  job: JobRecord,
  nodeId: NodeId,
  events: SchedulerEvent[],
): void {
  const faults = faultsOf(job);
  const failures = (faults.counts.get(nodeId) ?? 0) + 1;
  faults.counts.set(nodeId, failures);
  if (failures >= state.config.blocklistAfterFailures && !faults.blocked.has(nodeId)) {
    faults.blocked.add(nodeId);
    events.push({ type: 'blocklist-changed', jobId: job.id, nodeId, blocked: true, by: 'failures' });
  }
}

export function getBlocklist(state: SchedulerState, jobId: EntityId): BlocklistView {
  const job = jobOrThrow(state, jobId);
  return {
    jobId,
    blocked: [...(job.faults?.blocked ?? [])].sort(),
    failures: Object.fromEntries(
      [...(job.faults?.counts ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
    threshold: state.config.blocklistAfterFailures,
  };
}

/**
 * Adds and removes nodes by hand. Blocking affects future placements only: an attempt already
 * running on the node is left to finish (cancel the task to stop it).
 */
export function setBlocklist(state: SchedulerState, jobId: EntityId, edit: BlocklistEdit): CommandResult {
  const job = jobOrThrow(state, jobId);
  for (const nodeId of [...(edit.add ?? []), ...(edit.remove ?? [])]) {
    if (!state.nodes.has(nodeId)) throw notFound('node', nodeId, 'only enrolled nodes can be blocklisted.');
  }
  const events: SchedulerEvent[] = [];
  const faults = faultsOf(job);
  for (const nodeId of edit.add ?? []) {
    if (faults.blocked.has(nodeId)) continue;
    faults.blocked.add(nodeId);
    events.push({ type: 'blocklist-changed', jobId, nodeId, blocked: true, by: 'operator' });
  }
  for (const nodeId of edit.remove ?? []) {
    const wasBlocked = faults.blocked.delete(nodeId);
    faults.counts.delete(nodeId);
    if (wasBlocked) events.push({ type: 'blocklist-changed', jobId, nodeId, blocked: false, by: 'operator' });
  }
  return { changed: events.length > 0, events };
}

export function jobOrThrow(state: SchedulerState, jobId: EntityId): JobRecord {
  const job = state.jobs.get(jobId);
  if (job === undefined) throw notFound('job', jobId, 'check the id; finished jobs may have been forgotten.');
  return job;
}
