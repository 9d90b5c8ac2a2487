// A project. Completion starts the retention clock of its files (privacy policy: 90 days after
// completion unless extended); the privacy module reads completedAt and retentionExtendedUntil.
import { ProjectState } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

export const Project = defineEntity({
  name: 'Project',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    name: p.string().length(200),
    state: p.enum(Object.values(ProjectState)),
    /** Who created it; kept null when that account is erased. */
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime(),
    completedAt: p.datetime().nullable(),
    retentionExtendedUntil: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});

export type ProjectRow = InferEntity<typeof Project>;
