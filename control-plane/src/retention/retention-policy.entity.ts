// A tenant's retention default: days a completed project's files are kept. No row means the
// policy's 90 days (DEFAULT_RETENTION_DAYS).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../database/entities/tenant.entity.ts';

export const RetentionPolicy = defineEntity({
  name: 'RetentionPolicy',
  properties: {
    tenant: () => p.manyToOne(Tenant).primary(),
    defaultDays: p.integer(),
    updatedAt: p.datetime(),
  },
});

export type RetentionPolicyRow = InferEntity<typeof RetentionPolicy>;
