// The tamper-evident audit log (privacy issue #7, item 7): what an entry, a signed checkpoint
// and an export line look like, and the verification reply. Entries name people only by
// pseudonymous ids (user id, node id, "system"); anything more is sealed in `details`.
import { z } from 'zod';
import { EncryptedFieldSchema } from '../bodies/encrypted-field.ts';
import { Sha256HexSchema, TimestampSchema } from '../primitives.ts';

export const AuditAction = {
  SignIn: 'auth.sign-in',
  SignInFailed: 'auth.sign-in-failed',
  TenantCreated: 'tenant.created',
  UserCreated: 'user.created',
  JobSubmitted: 'job.submitted',
  NodeEnrolled: 'node.enrolled',
  NodeRevoked: 'node.revoked',
  ProjectCompleted: 'project.completed',
  RetentionExtended: 'retention.extended',
  RetentionPolicySet: 'retention.policy-set',
  LegalHoldPlaced: 'legal-hold.placed',
  LegalHoldReleased: 'legal-hold.released',
  ProjectFilesErased: 'retention.project-files-erased',
  KeyDestroyed: 'key.destroyed',
  /** At start-up or by `enclave keys reapply-journal`: a destroyed key a restored backup brought back, destroyed again. */
  KeyDestructionReapplied: 'key.destruction-reapplied',
  AuditExported: 'audit.exported',
  PrivacyRequestCreated: 'privacy.request-created',
  PrivacyIdentityVerified: 'privacy.identity-verified',
  PrivacyRequestApproved: 'privacy.request-approved',
  PrivacyRequestRejected: 'privacy.request-rejected',
  PrivacyRestrictionLifted: 'privacy.restriction-lifted',
  PrivacyExportDownloaded: 'privacy.export-downloaded',
  PrivacySubjectErased: 'privacy.subject-erased',
  /** Queued and running jobs on a restricted or erased subject's projects were cancelled. */
  PrivacyJobsCancelled: 'privacy.jobs-cancelled',
  /** An erase order a node had not answered was sent to it again (timer or heartbeat). */
  PrivacyEraseOrderResent: 'privacy.erase-order-resent',
  /** A rectification was applied to the subject's profile (old → new sealed in the details). */
  PrivacySubjectRectified: 'privacy.subject-rectified',
  /** A node's signed erase receipt was verified and recorded against its erase order. */
  PrivacyEraseReceiptRecorded: 'privacy.erase-receipt-recorded',
  /** An erase receipt failed verification (signature, certificate or order) and was refused. */
  PrivacyEraseReceiptRefused: 'privacy.erase-receipt-refused',
  /** The DPO published a privacy notice version (consent.ts). */
  PrivacyNoticePublished: 'privacy.notice-published',
  /** A user recorded consent choices (the choices are in the record, not the audit entry). */
  PrivacyConsentRecorded: 'privacy.consent-recorded',
  /** A breach was entered in the register, or its status changed. */
  PrivacyBreachRecorded: 'privacy.breach-recorded',
  PrivacyBreachStatusChanged: 'privacy.breach-status-changed',
  /** A data-subject request reached a reminder threshold (7 days, 1 day before its deadline, or overdue). */
  PrivacyDeadlineReminder: 'privacy.deadline-reminder',
  /** An account was closed: sign-in refused, its retention period after closure starts. */
  AccountClosed: 'account.closed',
  AccountLegalHoldPlaced: 'account.legal-hold-placed',
  AccountLegalHoldReleased: 'account.legal-hold-released',
  /** The retention sweep crypto-shredded a closed account's personal data (its subject key destroyed). */
  AccountDataShredded: 'retention.account-data-shredded',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export const AUDIT_ACTIONS = Object.values(AuditAction) as readonly AuditAction[];
export const AuditActionSchema = z.enum(AuditAction);

/** `user:<id>`, `node:<id>` or `system`: never an email or a name. */
export const AuditActorSchema = z
  .string()
  .regex(
    /^(system|(user|node):[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/,
    'must be "system", "user:<id>" or "node:<id>"',
  );

export const AuditEntrySchema = z.object({
  seq: z.int().min(1),
  time: TimestampSchema,
  actor: AuditActorSchema,
  tenantId: z.string().max(64).nullable(),
  action: AuditActionSchema,
  targets: z.array(z.string().max(200)).max(100),
  /** Sealed (AES-256-GCM) details, or null: erasing the key erases them, the chain still verifies. */
  details: EncryptedFieldSchema.nullable(),
  prevHash: Sha256HexSchema,
  hash: Sha256HexSchema,
});

export const AuditCheckpointSchema = z.object({
  seq: z.int().min(0),
  hash: Sha256HexSchema,
  time: TimestampSchema,
  /** Ed25519 over the checkpoint's canonical signing bytes, base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be a 64-byte Ed25519 signature as base64url'),
});

/** One line of `GET /api/v1/audit/export` (application/x-ndjson). */
export const AuditExportLineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), format: z.literal('enclave-audit/v1'), publicKeyPem: z.string() }),
  z.object({ type: z.literal('entry'), entry: AuditEntrySchema }),
  z.object({ type: z.literal('checkpoint'), checkpoint: AuditCheckpointSchema }),
]);

export const AuditProblemSchema = z.object({
  /** The first sequence number that does not verify (0 when the problem is not one entry's). */
  seq: z.int().min(0),
  reason: z.string(),
});

export const AuditVerifyReplySchema = z.object({
  ok: z.boolean(),
  entries: z.int().min(0),
  lastCheckpoint: AuditCheckpointSchema.nullable(),
  problem: AuditProblemSchema.optional(),
});

export type AuditEntryDto = z.infer<typeof AuditEntrySchema>;
export type AuditCheckpointDto = z.infer<typeof AuditCheckpointSchema>;
export type AuditExportLine = z.infer<typeof AuditExportLineSchema>;
export type AuditVerifyReply = z.infer<typeof AuditVerifyReplySchema>;
