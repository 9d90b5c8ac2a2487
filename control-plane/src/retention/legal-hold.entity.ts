// A legal hold on a project: while one is active (releasedAt null) the retention sweep keeps
// the project's files whatever their expiry. The reasons are kept sealed in the audit log
// (placed / released entries), not here in clear.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Project } from '../database/entities/project.entity.ts';
import { Tenant } from '../database/entities/tenant.entity.ts';

export const LegalHold = defineEntity({
  name: 'LegalHold',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    project: () => p.manyToOne(Project),
    placedBy: p.string().length(64),
    placedAt: p.datetime(),
    releasedBy: p.string().length(64).nullable(),
    releasedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'project', 'releasedAt'] }],
});

export type LegalHoldRow = InferEntity<typeof LegalHold>;
