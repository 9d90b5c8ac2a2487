// One committed change of a job or one of its tasks: the job's history (GET /jobs/:id) and what
// the live event stream replays after a Last-Event-ID. `seq` is the stream's event id: SQLite's
// single writer hands out autoincrement keys in commit order, so it only ever grows.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Job } from './job.entity.ts';
import { Tenant } from './tenant.entity.ts';

export const JobEventKind = { Job: 'job', Task: 'task', Progress: 'progress' } as const;
export type JobEventKind = (typeof JobEventKind)[keyof typeof JobEventKind];

export const JobEvent = defineEntity({
  name: 'JobEvent',
  properties: {
    seq: p.integer().primary().autoincrement(),
    job: () => p.manyToOne(Job).deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant),
    atMs: p.integer(),
    kind: p.enum(Object.values(JobEventKind)),
    taskId: p.string().length(64).nullable(),
    /** The job's or task's state after the change; null for progress. */
    state: p.string().length(32).nullable(),
    epoch: p.integer().nullable(),
    nodeId: p.string().length(64).nullable(),
    progress: p.double().nullable(),
    stage: p.string().length(64).nullable(),
    cause: p.string().length(64).nullable(),
    code: p.string().length(64).nullable(),
  },
  indexes: [{ properties: ['job', 'seq'] }],
});

export type JobEventRow = InferEntity<typeof JobEvent>;
