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

export const RetentionReportSchema = z.object({
  dryRun: z.boolean(),
  asOf: TimestampSchema,
  items: z.array(RetentionItemSchema),
  /** Expired projects kept because of a legal hold. */
  held: z.array(EntityIdSchema),
});

export type ExtendRetentionRequest = z.infer<typeof ExtendRetentionRequestSchema>;
export type LegalHoldDto = z.infer<typeof LegalHoldSchema>;
export type ProjectRetention = z.infer<typeof ProjectRetentionSchema>;
export type RetentionItem = z.infer<typeof RetentionItemSchema>;
export type RetentionReport = z.infer<typeof RetentionReportSchema>;
