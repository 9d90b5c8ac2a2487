// The fence on every /agent/v1/tasks/* route: the calling node must hold the LIVE assignment of
// the task at the epoch it names — the assignment row of (task, epoch) on this node, not ended,
// not being retired, and the task still at that epoch. Anything else (an older epoch, another
// node's task, an unknown task) is 409 STALE_EPOCH, the same answer for all so a node learns
// nothing about work that is not its own.
import { ContractError, ErrorCode } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/sqlite';
import { Assignment } from '../database/entities/assignment.entity.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Task, type TaskRow } from '../database/entities/task.entity.ts';

export interface HeldTask {
  readonly task: TaskRow;
  readonly tenantId: string;
  readonly projectId: string;
}

export async function heldTask(
  em: EntityManager,
  nodeId: string,
  taskId: string,
  epoch: number,
): Promise<HeldTask> {
  const task = await em.findOne(Task, { id: taskId });
  const assignment = task === null ? null : await em.findOne(Assignment, { task: taskId, epoch });
  const live =
    task !== null &&
    assignment !== null &&
    task.epoch === epoch &&
    assignment.node.id === nodeId &&
    assignment.endedAtMs == null &&
    assignment.retireDeadlineMs == null;
  if (!live) {
    throw new ContractError(
      ErrorCode.STALE_EPOCH,
      `This node does not hold the live assignment of task ${taskId} at epoch ${epoch}; ` +
        'drop the task (it was reassigned, cancelled or finished).',
    );
  }
  const job = await em.findOneOrFail(Job, { id: task.job.id });
  return { task, tenantId: task.tenant.id, projectId: job.project.id };
}
