// Job rows → the REST DTOs.
import {
  ALLOWED_DATA_USES,
  DataCategory,
  type JobDetail,
  type JobSummary,
  type TaskSummary,
} from '@enclave/contracts';
import type { JobEventRow } from '../database/entities/job-event.entity.ts';
import type { JobRow } from '../database/entities/job.entity.ts';
import type { TaskRow } from '../database/entities/task.entity.ts';
import { historyEntry } from '../scheduling/job-history.writer.ts';

export function jobSummary(row: JobRow): JobSummary {
  return {
    jobId: row.id,
    projectId: row.project.id,
    template: { id: row.templateId, version: row.templateVersion },
    title: row.title,
    state: row.state,
    priority: row.priority,
    idempotencyKey: row.idempotencyKey,
    submittedAt: new Date(row.submittedAtMs).toISOString(),
    dataCategory: DataCategory.ClientPrompt,
    allowedUses: [...ALLOWED_DATA_USES],
  };
}

export function jobDetail(
  row: JobRow,
  tasks: readonly TaskRow[],
  history: readonly JobEventRow[],
): JobDetail {
  const keyOf = new Map(tasks.map((t) => [t.id, t.key]));
  return {
    ...jobSummary(row),
    tasks: tasks.map((t) => taskSummary(t, keyOf)),
    edges: tasks.flatMap((t) => t.deps.map((dep) => ({ from: dep, to: t.id }))),
    history: history.map(historyEntry),
  };
}

function taskSummary(t: TaskRow, keyOf: ReadonlyMap<string, string>): TaskSummary {
  return {
    taskId: t.id,
    key: t.key,
    title: t.title,
    state: t.state,
    epoch: t.epoch,
    attempts: t.attempts,
    failures: t.failures,
    nodeId: t.nodeId ?? null,
    progress: t.progress === null || t.progress === undefined ? null : Number(t.progress),
    deps: t.deps.map((dep) => keyOf.get(dep) ?? dep),
    lastFailure: t.lastFailure ?? null,
  };
}
