// An enrollment token's record (certs' EnrollmentRecord): what the token entitles its holder
// to. Only the SHA-256 of the secret is stored; `usedAt` is set once, atomically.
import type { Profile } from '@enclave/certs';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const EnrollmentToken = defineEntity({
  name: 'EnrollmentToken',
  properties: {
    secretHash: p.string().length(64).primary(),
    name: p.string().length(64),
    profile: p.string().$type<Profile>().length(32),
    serverAuth: p.boolean(),
    dnsNames: p.json<string[]>(),
    ipAddresses: p.json<string[]>(),
    /** ISO-8601 text, exactly as the CA wrote it. */
    createdAt: p.string().length(32),
    expiresAt: p.string().length(32),
    createdBy: p.string().length(100),
    usedAt: p.string().length(32).nullable(),
  },
});

export type EnrollmentTokenRow = InferEntity<typeof EnrollmentToken>;
