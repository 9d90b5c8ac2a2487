// History rows for what a command changed about jobs and tasks: the job's record of itself
// (GET /jobs/:id) and what the live streams send once the transaction has committed.
import type { JobHistoryEntry } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { JobEvent, type JobEventKind, type JobEventRow } from '../database/entities/job-event.entity.ts';
import type { SchedulerEvent } from '../scheduler/index.ts';
import type { SnapshotIndex } from './scheduler-rows.writer.ts';

/** A history entry a command adds that no scheduler event describes (progress). */
export interface HistoryNote {
  readonly jobId: string;
  readonly taskId: string;
  readonly epoch: number;
  readonly nodeId: string;
  readonly progress: number;
  readonly stage: string;
}

export interface PendingHistory {
  readonly tenantId: string;
  readonly row: JobEventRow;
}

interface Entry {
  readonly jobId: string;
  readonly kind: JobEventKind;
  readonly taskId?: string;
  readonly state?: string;
  readonly epoch?: number;
  readonly nodeId?: string;
  readonly progress?: number;
  readonly stage?: string;
  readonly cause?: string;
  readonly code?: string;
}

function entriesOf(events: readonly SchedulerEvent[], index: SnapshotIndex): Entry[] {
  const out: Entry[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'job-submitted': {
        out.push({ jobId: event.jobId, kind: 'job', state: 'queued', cause: 'submitted' });
        for (const task of index.jobs.get(event.jobId)?.tasks ?? []) {
          out.push({ jobId: event.jobId, kind: 'task', taskId: task.taskId, state: 'queued', epoch: 1 });
        }
        break;
      }
      case 'task-state':
        out.push({
          jobId: event.jobId,
          kind: 'task',
          taskId: event.taskId,
          state: event.state,
          epoch: event.epoch,
          cause: event.cause,
          ...(event.nodeId !== undefined ? { nodeId: event.nodeId } : {}),
          ...(event.code !== undefined ? { code: event.code } : {}),
        });
        break;
      case 'job-state':
        out.push({ jobId: event.jobId, kind: 'job', state: event.state });
        break;
      default:
        break;
    }
  }
  return out;
}

export function writeJobHistory(
  em: EntityManager,
  index: SnapshotIndex,
  events: readonly SchedulerEvent[],
  notes: readonly HistoryNote[],
  now: number,
): PendingHistory[] {
  const entries = [...entriesOf(events, index), ...notes.map((n): Entry => ({ ...n, kind: 'progress' }))];
  const out: PendingHistory[] = [];
  for (const entry of entries) {
    const tenantId = index.jobs.get(entry.jobId)?.tenantId;
    if (tenantId === undefined) continue;
    const row = em.create(JobEvent, {
      job: entry.jobId,
      tenant: tenantId,
      atMs: now,
      kind: entry.kind,
      taskId: entry.taskId ?? null,
      state: entry.state ?? null,
      epoch: entry.epoch ?? null,
      nodeId: entry.nodeId ?? null,
      progress: entry.progress ?? null,
      stage: entry.stage ?? null,
      cause: entry.cause ?? null,
      code: entry.code ?? null,
    });
    out.push({ tenantId, row });
  }
  return out;
}

export function historyEntry(row: JobEventRow): JobHistoryEntry {
  return {
    seq: row.seq,
    jobId: row.job.id,
    at: new Date(row.atMs).toISOString(),
    kind: row.kind,
    taskId: row.taskId ?? null,
    state: row.state ?? null,
    epoch: row.epoch ?? null,
    nodeId: row.nodeId ?? null,
    progress: row.progress === null || row.progress === undefined ? null : Number(row.progress),
    stage: row.stage ?? null,
    cause: row.cause ?? null,
    code: row.code ?? null,
  };
}
