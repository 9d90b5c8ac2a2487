// A tenant: an enterprise client of the appliance. Every tenant-owned row points here, and
// every query on such a row is filtered by it (TenantScope).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Tenant = defineEntity({
  name: 'Tenant',
  properties: {
    id: p.string().primary(),
    name: p.string().length(200).unique(),
    createdAt: p.datetime(),
    /** Fair-share weight of the scheduler (SchedulerSnapshot.tenants[].weight). */
    schedulerWeight: p.integer().default(1),
    /** The scheduler's placement sequence number when this tenant was last served. */
    schedulerLastServed: p.integer().default(0),
  },
});

export type TenantRow = InferEntity<typeof Tenant>;
