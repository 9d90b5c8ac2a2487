// A submitted job. With its tasks and assignments these rows hold everything the scheduler's
// SchedulerSnapshot needs to rebuild its state after a restart (scheduler/snapshot.ts). Times
// the scheduler reasons about are integer milliseconds since the epoch, as its clock counts.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { NodeId } from '@enclave/contracts';
import { JobState } from '../../scheduler/index.ts';
import { Project } from './project.entity.ts';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

export const Job = defineEntity({
  name: 'Job',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    project: () => p.manyToOne(Project),
    templateId: p.string().length(100),
    templateVersion: p.integer(),
    /** From the compiled template (the producer's title for a promo, "Transcode to 720p"). */
    title: p.string().length(200),
    /**
     * SHA-256 (hex) of the canonical submission (project, template, params as sent, priority):
     * what an idempotent retry must match. The scheduler's own `fingerprint` covers only the DAG.
     */
    requestFingerprint: p.string().length(64),
    priority: p.integer(),
    /** Submission order across the appliance (SchedulerSnapshot.jobs[].seq). */
    seq: p.integer(),
    /** Scoped to the tenant: the same key from two tenants names two jobs. */
    idempotencyKey: p.string().length(200),
    fingerprint: p.string().length(64),
    submittedAtMs: p.integer(),
    /** When the job reached succeeded, failed or cancelled. */
    finishedAtMs: p.integer().nullable(),
    state: p.enum(Object.values(JobState)),
    /** [nodeId, soft failures of this job on that node] pairs. */
    faultCounts: p.json<[NodeId, number][]>(),
    /** Nodes this job may no longer run on. */
    blockedNodes: p.json<NodeId[]>(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
  },
  uniques: [{ properties: ['tenant', 'idempotencyKey'] }],
  indexes: [{ properties: ['tenant', 'state'] }, { properties: ['tenant', 'project', 'submittedAtMs'] }],
});

export type JobRow = InferEntity<typeof Job>;
