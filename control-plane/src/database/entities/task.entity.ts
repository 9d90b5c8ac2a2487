// One node of a job's DAG: what it needs, where it stands and its retry history. `epoch`
// fences stale results: it grows with every re-assignment.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AssetRef, EntityId, NodeId } from '@enclave/contracts';
import { TaskState, type TaskRequirements } from '../../scheduler/index.ts';
import type { TaskWork } from '../../jobs/task-work.ts';
import { Job } from './job.entity.ts';
import { Tenant } from './tenant.entity.ts';

export const Task = defineEntity({
  name: 'Task',
  properties: {
    id: p.string().primary(),
    job: () => p.manyToOne(Job).deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant),
    /** Position in the job's task list (the scheduler keeps that order). */
    ordinal: p.integer(),
    /** The template's name for the task, unique within the job (`voice`, `render`). */
    key: p.string().length(64),
    title: p.string().length(200),
    /** What the node runs: steps, inputs, sealed fields, timeout (sent in task.assign). */
    work: p.json<TaskWork>(),
    /** Outputs the node reported with task.succeeded (refs to uploaded ciphertext). */
    outputs: p.json<AssetRef[]>().nullable(),
    /** The node of the current or last assignment. */
    nodeId: p.string().length(64).nullable(),
    deps: p.json<EntityId[]>(),
    requirements: p.json<TaskRequirements>(),
    state: p.enum(Object.values(TaskState)),
    epoch: p.integer(),
    attempts: p.integer().default(0),
    failures: p.integer().default(0),
    notBeforeMs: p.integer().default(0),
    excludedNode: p.string().length(64).nullable(),
    progress: p.double().nullable(),
    lastFailure: p.json<{ nodeId: NodeId; code: string }>().nullable(),
  },
  uniques: [{ properties: ['job', 'ordinal'] }],
  indexes: [{ properties: ['tenant', 'state'] }],
});

export type TaskRow = InferEntity<typeof Task>;
