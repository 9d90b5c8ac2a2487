// A task placed on a node with a lease, one row per (task, epoch). The live one is the row
// whose epoch is the task's and that has not ended; a row with a retireDeadline is a cancelled
// or superseded run still holding capacity until the node confirms or the deadline passes.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Node } from './node.entity.ts';
import { Task } from './task.entity.ts';
import { Tenant } from './tenant.entity.ts';

export const Assignment = defineEntity({
  name: 'Assignment',
  properties: {
    id: p.string().primary(),
    task: () => p.manyToOne(Task).deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant),
    node: () => p.manyToOne(Node),
    epoch: p.integer(),
    gpuIndices: p.json<number[]>(),
    cpuSlots: p.integer(),
    assignedAtMs: p.integer(),
    leaseExpiresAtMs: p.integer(),
    acceptedAtMs: p.integer().nullable(),
    retireDeadlineMs: p.integer().nullable(),
    /** When capacity was given back (finished, failed, confirmed cancelled). */
    endedAtMs: p.integer().nullable(),
  },
  uniques: [{ properties: ['task', 'epoch'] }],
  indexes: [{ properties: ['node', 'endedAtMs'] }],
});

export type AssignmentRow = InferEntity<typeof Assignment>;
