// The breach register (PDPL Art. 9): one row per personal-data breach, with its scope (projects
// and a time window) and its notification deadline, fixed when the breach is entered.
import { BreachStatus } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../database/entities/tenant.entity.ts';

export const Breach = defineEntity({
  name: 'Breach',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    detectedAt: p.datetime(),
    /** Sealed: the JSON of an EncryptedField under the tenant's key (breach-register.service.ts). */
    description: p.text(),
    /** null = every project of the tenant. */
    scopeProjectIds: p.json<string[]>().nullable(),
    scopeFrom: p.datetime(),
    scopeTo: p.datetime(),
    status: p.enum(Object.values(BreachStatus)),
    notifyBy: p.datetime(),
    createdAt: p.datetime(),
    /** `user:<id>` of who entered it. */
    createdBy: p.string().length(80),
  },
  indexes: [{ properties: ['tenant', 'detectedAt'] }],
});

export type BreachRow = InferEntity<typeof Breach>;
