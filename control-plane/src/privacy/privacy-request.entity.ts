// A data-subject request (privacy policy §10): who it is about, what is asked, where it stands
// and how it got there. Notes and reasons are never stored here: they go sealed into the audit
// log with each state change. The subject is kept as a bare id (not a foreign key) because an
// erased subject's row stays, pseudonymised, and the request must outlive any later cleanup.
import type { EncryptedField, PrivacyRequestHistoryEntry, RectifiableField } from '@enclave/contracts';
import { PrivacyRequestKind, PrivacyRequestStatus } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../database/entities/tenant.entity.ts';

/** The corrected fields as JSON, sealed under the subject key (AAD names the request). */
export interface SealedCorrection {
  readonly subjectKeyId: string;
  /** Which fields it corrects (names only: shown in the DPO's queue). */
  readonly fields: RectifiableField[];
  /** Null once applied or rejected: only the field names stay. */
  readonly sealed: EncryptedField | null;
}

export const PrivacyRequest = defineEntity({
  name: 'PrivacyRequest',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    subjectUserId: p.string().length(64),
    kind: p.enum(Object.values(PrivacyRequestKind)),
    status: p.enum(Object.values(PrivacyRequestStatus)),
    /** `user:<id>` of who filed it. */
    createdBy: p.string().length(80),
    createdAt: p.datetime(),
    deadlineAt: p.datetime(),
    /** How the DPO verified the requester's identity (the details are sealed in the audit log). */
    identityVerification: p.string().length(40).nullable(),
    history: p.json<PrivacyRequestHistoryEntry[]>(),
    /** The signed erasure certificate, once an erasure completed. */
    certificate: p.json<Record<string, unknown>>().nullable(),
    /**
     * A rectification's corrected profile fields, sealed under the subject's key (they are
     * personal data); the values are dropped once applied or rejected — the audit entry keeps
     * old → new sealed.
     */
    correction: p.json<SealedCorrection>().nullable(),
    /**
     * The deadline reminders already given (`7-days`, `1-day`, `overdue`): each fires once,
     * whatever the sweeps and restarts (deadline-reminder.policy.ts).
     */
    remindersSent: p.json<string[]>().nullable(),
  },
  indexes: [{ properties: ['tenant', 'deadlineAt'] }, { properties: ['tenant', 'subjectUserId', 'status'] }],
});

export type PrivacyRequestRow = InferEntity<typeof PrivacyRequest>;

/**
 * An access export waiting for its one download. Only the SHA-256 of the token is stored and
 * never the key: the ciphertext is useless without the key the DPO was shown once. The bytes are
 * dropped on download (the row stays, so a second use answers 410).
 */
export const PrivacyExport = defineEntity({
  name: 'PrivacyExport',
  properties: {
    tokenHash: p.string().length(64).primary(),
    tenant: () => p.manyToOne(Tenant),
    requestId: p.string().length(64),
    ciphertext: p.blob().nullable(),
    createdAt: p.datetime(),
    downloadedAt: p.datetime().nullable(),
  },
});

export type PrivacyExportRow = InferEntity<typeof PrivacyExport>;
