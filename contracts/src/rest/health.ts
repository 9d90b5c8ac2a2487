// What anyone who reaches the API listener may learn: whether the control plane is up, its
// version and whether its database passed the last integrity check. Nothing tenant-related.
import { z } from 'zod';
import { TimestampSchema } from '../primitives.ts';

export const IntegrityStatusSchema = z.enum(['ok', 'failed', 'unknown']);

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({
    integrity: IntegrityStatusSchema,
    /** When `PRAGMA quick_check` last ran; null before the first run. */
    checkedAt: TimestampSchema.nullable(),
  }),
});

/** The OpenAPI document itself (served at /api/docs). */
export const OpenApiDocumentSchema = z.record(z.string(), z.unknown());

export type Health = z.infer<typeof HealthSchema>;
export type IntegrityStatus = z.infer<typeof IntegrityStatusSchema>;
