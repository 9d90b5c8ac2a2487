// Which rows a command touched: what its events name, plus what the command says it changed
// without an event (a heartbeat renews leases and moves lastHeartbeatAt; progress moves a
// task's fraction). The writer rewrites exactly these rows from the scheduler's state.
import type { SchedulerEvent } from '../scheduler/index.ts';

export interface Touched {
  readonly tasks?: Iterable<string>;
  readonly jobs?: Iterable<string>;
  readonly nodes?: Iterable<string>;
}

export interface Changes {
  readonly tasks: Set<string>;
  readonly jobs: Set<string>;
  readonly nodes: Set<string>;
  readonly tenants: Set<string>;
  /** Jobs submitted by this command: their rows get the scheduler's seq and fingerprint. */
  readonly submitted: Set<string>;
}

export function changesOf(events: readonly SchedulerEvent[], touched: Touched = {}): Changes {
  const changes: Changes = {
    tasks: new Set(touched.tasks),
    jobs: new Set(touched.jobs),
    nodes: new Set(touched.nodes),
    tenants: new Set(),
    submitted: new Set(),
  };
  for (const event of events) {
    switch (event.type) {
      case 'job-submitted':
        changes.jobs.add(event.jobId);
        changes.tenants.add(event.tenantId);
        changes.submitted.add(event.jobId);
        break;
      case 'task-assigned':
        changes.tasks.add(event.assignment.taskId);
        changes.jobs.add(event.assignment.jobId);
        changes.tenants.add(event.assignment.tenantId);
        break;
      case 'task-state':
        changes.tasks.add(event.taskId);
        changes.jobs.add(event.jobId);
        break;
      case 'job-state':
      case 'blocklist-changed':
        changes.jobs.add(event.jobId);
        break;
      case 'node-state':
        changes.nodes.add(event.nodeId);
        break;
      case 'cancel-order':
        break;
    }
  }
  return changes;
}
