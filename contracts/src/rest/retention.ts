// Retention of project files (privacy policy §6: kept 90 days after completion unless a
// longer period is requested) and legal holds, which win over any expiry.
import { z } from 'zod';
import { EntityIdSchema, TimestampSchema } from '../primitives.ts';

export const DEFAULT_RETENTION_DAYS = 90;

export const RetentionReasonSchema = z.string().trim().min(1, 'required').max(500);

export const ExtendRetentionRequestSchema = z
  .object({
    /** Keep the project's files at least until then (must be later than the current expiry). */
    until: TimestampSchema,
    reason: RetentionReasonSchema,
  })
  .strict();

export const LegalHoldRequestSchema = z.object({ reason: RetentionReasonSchema }).strict();
/** DELETE carries no body (many clients drop it): the release reason comes in the query. */
export const ReleaseLegalHoldQuerySchema = LegalHoldRequestSchema;

export const LegalHoldSchema = z.object({
  holdId: EntityIdSchema,
  projectId: EntityIdSchema,
  placedAt: TimestampSchema,
  releasedAt: TimestampSchema.nullable(),
});

export const RetentionPolicySchema = z.object({ defaultDays: z.int().min(1).max(36_500) });
export const SetRetentionPolicyRequestSchema = RetentionPolicySchema.strict();

export const ProjectRetentionSchema = z.object({
  projectId: EntityIdSchema,
  completedAt: TimestampSchema.nullable(),
  /** When the files become due for deletion; null while the project is active. */
  expiresAt: TimestampSchema.nullable(),
  legalHold: z.boolean(),
});

/** Query strings are text: only a dry run is offered on GET (a real run is POST .../run). */
export const RetentionReportQuerySchema = z.object({ dryRun: z.literal('true').optional() }).strict();

export const RetentionItemSchema = z.object({
  tenantId: EntityIdSchema,
  projectId: EntityIdSchema,
  expiresAt: TimestampSchema,
  assetIds: z.array(z.string()),
  /** Paths relative to the data directory. */
  files: z.array(z.string()),
});

/** A closed account whose retention period after closure has passed: its personal data is shredded. */
export const AccountRetentionItemSchema = z.object({
  tenantId: EntityIdSchema,
  userId: EntityIdSchema,
  closedAt: TimestampSchema,
  expiresAt: TimestampSchema,
  /** The subject key a real run destroys (null for a row never sealed: only the row is scrubbed). */
  subjectKeyId: z.string().nullable(),
});

export const RetentionReportSchema = z.object({
  dryRun: z.boolean(),
  asOf: TimestampSchema,
  items: z.array(RetentionItemSchema),
  /** Expired projects kept because of a legal hold. */
  held: z.array(EntityIdSchema),
  /** Closed accounts past `closedAt + ENCLAVE_ACCOUNT_RETENTION_DAYS` whose personal data is shredded. */
  accounts: z.array(AccountRetentionItemSchema),
  /** Expired closed accounts kept because of a legal hold. */
  heldAccounts: z.array(EntityIdSchema),
});

/** Account data is kept while the account is active plus this many days after closure (privacy policy §6). */
export const DEFAULT_ACCOUNT_RETENTION_DAYS = 365;

export const CloseAccountRequestSchema = z.object({ reason: RetentionReasonSchema }).strict();

/** A client user closing their own account: `confirm: true` guards against an accidental call. */
export const CloseMyAccountRequestSchema = z
  .object({
    confirm: z.literal(true, 'must be true: closing the account cannot be undone by you'),
    reason: RetentionReasonSchema.optional(),
  })
  .strict();

export const AccountRetentionSchema = z.object({
  userId: EntityIdSchema,
  closedAt: TimestampSchema.nullable(),
  /** When the account's personal data becomes due for shredding; null while the account is open. */
  expiresAt: TimestampSchema.nullable(),
  legalHold: z.boolean(),
  /** When its personal data was shredded (retention or erasure); null until then. */
  erasedAt: TimestampSchema.nullable(),
});

export type ExtendRetentionRequest = z.infer<typeof ExtendRetentionRequestSchema>;
export type LegalHoldDto = z.infer<typeof LegalHoldSchema>;
export type ProjectRetention = z.infer<typeof ProjectRetentionSchema>;
export type RetentionItem = z.infer<typeof RetentionItemSchema>;
export type RetentionReport = z.infer<typeof RetentionReportSchema>;
export type AccountRetentionItem = z.infer<typeof AccountRetentionItemSchema>;
export type AccountRetention = z.infer<typeof AccountRetentionSchema>;
export type CloseAccountRequest = z.infer<typeof CloseAccountRequestSchema>;
export type CloseMyAccountRequest = z.infer<typeof CloseMyAccountRequestSchema>;
