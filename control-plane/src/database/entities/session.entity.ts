// A browser session. The cookie holds a random 256-bit id; only its SHA-256 is stored, so a
// copy of the database does not let anyone sign in.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

export const Session = defineEntity({
  name: 'Session',
  properties: {
    /** SHA-256 (hex) of the cookie value. */
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    /** Absolute end; the idle limit is checked against lastSeenAt. */
    expiresAt: p.datetime(),
  },
  indexes: [{ properties: ['expiresAt'] }],
});

export type SessionRow = InferEntity<typeof Session>;
