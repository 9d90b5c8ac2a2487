// control plane → node: forget everything held under these keys (cached ciphertext, unwrapped
// key material, scratch files) and answer with a signed erase.receipt.
import { z } from 'zod';
import { EntityIdSchema } from '../primitives.ts';

export const EraseScopeKind = {
  Tenant: 'tenant',
  Project: 'project',
  Job: 'job',
  Asset: 'asset',
  /** One data subject's personal data (their subject key). */
  Subject: 'subject',
} as const;

export type EraseScopeKind = (typeof EraseScopeKind)[keyof typeof EraseScopeKind];

export const EraseReason = {
  DataSubjectRequest: 'data-subject-request',
  Retention: 'retention',
  TenantOffboarding: 'tenant-offboarding',
  Operator: 'operator',
} as const;

export type EraseReason = (typeof EraseReason)[keyof typeof EraseReason];

export const EraseOrderBodySchema = z.object({
  /** Idempotency and correlation: the receipt names the same order. */
  orderId: EntityIdSchema,
  reason: z.enum(EraseReason),
  /** What is being erased, for the node's log and the erasure certificate. */
  scope: z.object({ kind: z.enum(EraseScopeKind), id: EntityIdSchema }),
  /** The keys whose data must go; the receipt reports one item per key. */
  keyIds: z.array(EntityIdSchema).min(1).max(1024),
});

export type EraseOrderBody = z.infer<typeof EraseOrderBodySchema>;
