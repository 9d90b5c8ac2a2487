// The scheduler of the control plane: a pure module (no I/O, no clock of its own). See
// docs/scheduler.md for the model; the NestJS service wraps `Scheduler` and persists the
// events each command returns.
export { Scheduler, tick, type Clock } from './scheduler.ts';
export { createSchedulerState, type SchedulerState } from './scheduler-state.ts';
export { DEFAULT_SCHEDULER_CONFIG, resolveConfig, type SchedulerConfig } from './config.ts';
export { submitJob, forgetJob, MAX_TASKS_PER_JOB } from './submission.ts';
export {
  exportState,
  importState,
  type SchedulerSnapshot,
  type NodeSnapshot,
  type JobSnapshot,
  type TaskSnapshot,
  type LiveAssignmentSnapshot,
  type RetiringSnapshot,
} from './snapshot.ts';
export { schedule } from './placement.ts';
export { onAccepted, onProgress, onSucceeded, onFailed } from './reports.ts';
export { renewLeases, expireLeases } from './leases.ts';
export { registerNode, nodeHeartbeat, markNodeLost, detectLostNodes, setNodeAdminState } from './nodes.ts';
export { cancelJob, cancelTask } from './cancellation.ts';
export { getBlocklist, setBlocklist } from './blocklist.ts';
export { setTenantWeight, weightedShare, clusterTotals, type ClusterTotals } from './fair-share.ts';
export { backoffMs } from './task-lifecycle.ts';
export {
  getJob,
  getTask,
  getNode,
  listNodes,
  queueStats,
  type JobView,
  type TaskView,
  type NodeView,
  type QueueStats,
} from './views.ts';
export * from './types.ts';
