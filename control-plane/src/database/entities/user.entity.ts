// A local account. The password is kept only as an scrypt hash (PasswordHasher); failed
// sign-ins and the lock they cause live on the row so they survive a restart. Email and
// display name are personal data: stored only sealed under the person's subject key
// (keys/personal-data.sealer.ts), with a blind index of the email for sign-in and uniqueness.
import type { EncryptedField } from '@enclave/contracts';
import { Role } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.ts';

export const User = defineEntity({
  name: 'User',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    /**
     * The person's subject key (`sub_…`); destroying it erases the sealed columns below.
     * Null only for a row written before sealing existed, until start-up seals it.
     */
    subjectKeyId: p.string().length(64).nullable(),
    /**
     * Blind index of the normalised email (HMAC under the platform index key). Sign-in is by
     * email alone, so it is unique across tenants. Null once the person was erased.
     */
    emailIndex: p.string().length(64).nullable().unique(),
    /** The email, sealed under the subject key (AAD names table, row id and column). */
    emailSealed: p.json<EncryptedField>().nullable(),
    /** The display name, sealed under the subject key (AAD names table, row id and column). */
    displayNameSealed: p.json<EncryptedField>().nullable(),
    passwordHash: p.string().length(512).lazy(),
    role: p.enum(Object.values(Role)),
    /** Consecutive failures since the last successful sign-in. */
    failedLogins: p.integer().default(0),
    lockedUntil: p.datetime().nullable(),
    disabled: p.boolean().default(false),
    createdAt: p.datetime(),
    /** When the account holder attested being 18 or older (privacy policy §11); required for client-users. */
    adultAttestedAt: p.datetime().nullable(),
    /**
     * When the account was closed (sign-in refused from then on); its personal data is kept
     * ENCLAVE_ACCOUNT_RETENTION_DAYS more, then the retention sweep crypto-shreds it.
     */
    closedAt: p.datetime().nullable(),
    /** Since when a legal hold keeps the account's personal data past its retention; null when none. */
    legalHoldAt: p.datetime().nullable(),
    /** When the personal data was crypto-shredded (retention after closure, or an erasure request). */
    erasedAt: p.datetime().nullable(),
  },
});

export type UserRow = InferEntity<typeof User>;
