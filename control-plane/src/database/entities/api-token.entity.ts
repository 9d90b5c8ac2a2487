// A personal API token for the CLI. Stored as the SHA-256 of its secret (256 random bits, so a
// fast hash is enough); it acts with its user's role and stops working if that role changes.
import { Role } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

export const ApiToken = defineEntity({
  name: 'ApiToken',
  properties: {
    id: p.string().primary(),
    secretHash: p.string().length(64).unique(),
    name: p.string().length(100),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant),
    role: p.enum(Object.values(Role)),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type ApiTokenRow = InferEntity<typeof ApiToken>;
