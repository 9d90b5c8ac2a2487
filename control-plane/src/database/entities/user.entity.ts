// A local account. The password is kept only as an scrypt hash (PasswordHasher); failed
// sign-ins and the lock they cause live on the row so they survive a restart.
import { Role } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.ts';

export const User = defineEntity({
  name: 'User',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    /** Lower-case; sign-in is by email alone, so it is unique across tenants. */
    email: p.string().length(254).unique(),
    displayName: p.string().length(200),
    passwordHash: p.string().length(512).lazy(),
    role: p.enum(Object.values(Role)),
    /** Consecutive failures since the last successful sign-in. */
    failedLogins: p.integer().default(0),
    lockedUntil: p.datetime().nullable(),
    disabled: p.boolean().default(false),
    createdAt: p.datetime(),
    /** When the account holder attested being 18 or older (privacy policy §11); required for client-users. */
    adultAttestedAt: p.datetime().nullable(),
  },
});

export type UserRow = InferEntity<typeof User>;
