// Data-subject rights under the UAE PDPL (privacy policy §10, §11; issue #7 items 1, 2, 5, 8):
// requests and their queue, the one-time encrypted export, the erasure certificate, and the
// free-text guard that refuses card numbers (the UI runs the same refinement).
import { z } from 'zod';
import { EraseReceiptBodySchema } from '../bodies/erase-receipt.ts';
import { EmailSchema } from './auth.ts';
import { NodeIdSchema } from '../node-id.ts';
import { EntityIdSchema, TimestampSchema } from '../primitives.ts';

// --- Card numbers and tax numbers -------------------------------------------------------------

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * True when the text holds a Luhn-valid sequence of 13-19 digits: either a run of digits with
 * single spaces or dashes between groups (how card numbers are typed: "4111 1111 1111 1111"),
 * taken whole, or one unbroken group of it ("ref 12 4111111111111111"). Only whole sequences are
 * checked, never windows inside a longer number: about one in ten of any digits pass Luhn.
 */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(/\d+(?:[ -]\d+)*/g)) {
    const candidates = [match[0].replace(/[ -]/g, ''), ...match[0].split(/[ -]/)];
    for (const digits of candidates) {
      if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
    }
  }
  return false;
}

export const CARD_NUMBER_MESSAGE =
  'looks like a payment card number; card numbers must not be entered here (the appliance does not take payments) — remove it';

/** A zod refinement for any free-text string field: refuses card numbers (400 VALIDATION_FAILED). */
export function noCardNumbers<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine((text) => !containsCardNumber(text), { message: CARD_NUMBER_MESSAGE });
}

/** Walks a JSON-ish value and reports the path of the first string holding a card number. */
export function cardNumberPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return containsCardNumber(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = cardNumberPath(item, [...path, index]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = cardNumberPath(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** UAE Tax Registration Number: 15 digits starting with 100 (for later billing). */
export const UaeTrnSchema = z.string().regex(/^100\d{12}$/, 'must be a UAE TRN: 15 digits starting with 100');

export function isUaeTrn(value: string): boolean {
  return UaeTrnSchema.safeParse(value).success;
}

// --- Requests -------------------------------------------------------------------------------

export const PrivacyRequestKind = {
  Access: 'access',
  Rectification: 'rectification',
  Erasure: 'erasure',
  Restriction: 'restriction',
  Objection: 'objection',
} as const;
export type PrivacyRequestKind = (typeof PrivacyRequestKind)[keyof typeof PrivacyRequestKind];

/**
 * received → identity-verified → approved (→ completed for access, rectification, erasure;
 * in-effect for restriction and objection → lifted) | rejected.
 */
export const PrivacyRequestStatus = {
  Received: 'received',
  IdentityVerified: 'identity-verified',
  Completed: 'completed',
  InEffect: 'in-effect',
  Lifted: 'lifted',
  Rejected: 'rejected',
} as const;
export type PrivacyRequestStatus = (typeof PrivacyRequestStatus)[keyof typeof PrivacyRequestStatus];

export const DEFAULT_PRIVACY_DEADLINE_DAYS = 30;

const NotesSchema = noCardNumbers(z.string().trim().max(2000));

/**
 * What a rectification corrects: the subject's profile fields, at least one. Personal data: kept
 * sealed under the subject's key until approval applies it; the audit entry keeps old → new
 * sealed, and no reply or log line shows the values.
 */
export const RectificationSchema = z
  .object({
    displayName: noCardNumbers(z.string().trim().min(1).max(200)).optional(),
    email: EmailSchema.optional(),
  })
  .strict()
  .refine((r) => r.displayName !== undefined || r.email !== undefined, {
    message: 'name at least one field to correct: displayName or email',
  });

export const RectifiableField = { DisplayName: 'displayName', Email: 'email' } as const;
export type RectifiableField = (typeof RectifiableField)[keyof typeof RectifiableField];

export const CreatePrivacyRequestSchema = z
  .object({
    kind: z.enum(PrivacyRequestKind),
    /** The user the request is about (default: the caller); a client-user may only name themselves. */
    subjectUserId: EntityIdSchema.optional(),
    /** Stored only sealed in the audit log. */
    notes: NotesSchema.optional(),
    /**
     * Rectification only: the corrected profile fields, applied on approval. Without it the
     * request records a correction made elsewhere (a project name, a job title).
     */
    rectification: RectificationSchema.optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (request.kind !== PrivacyRequestKind.Rectification && request.rectification !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rectification'],
        message: 'only a rectification request carries corrections; remove it or file kind "rectification"',
      });
    }
  });

export const IdentityVerificationMethod = {
  SignedInSession: 'signed-in-session',
  InPerson: 'in-person',
  CorporateEmail: 'corporate-email',
  Document: 'document',
  Other: 'other',
} as const;

export const VerifyIdentityRequestSchema = z
  .object({
    method: z.enum(IdentityVerificationMethod),
    /** How exactly (stored only sealed in the audit log). */
    notes: NotesSchema.optional(),
  })
  .strict();

export const DecidePrivacyRequestSchema = z.object({ notes: NotesSchema.optional() }).strict();

export const PrivacyRequestIdParamsSchema = z.object({ requestId: EntityIdSchema }).strict();
export const UserIdParamsSchema = z.object({ userId: EntityIdSchema }).strict();
export const ExportTokenParamsSchema = z
  .object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an export token') })
  .strict();

export const PrivacyRequestHistoryEntrySchema = z.object({
  status: z.enum(PrivacyRequestStatus),
  at: TimestampSchema,
  /** `user:<id>` of who moved it. */
  by: z.string(),
});

export const PrivacyRequestSchema = z.object({
  requestId: EntityIdSchema,
  kind: z.enum(PrivacyRequestKind),
  subjectUserId: EntityIdSchema,
  status: z.enum(PrivacyRequestStatus),
  createdAt: TimestampSchema,
  deadlineAt: TimestampSchema,
  /** Not finished (not completed, in effect, lifted or rejected) and past its deadline. */
  overdue: z.boolean(),
  /** Still open, not yet overdue, and its deadline is at most 7 days away (the first reminder). */
  dueSoon: z.boolean(),
  identityVerification: z.enum(IdentityVerificationMethod).nullable(),
  history: z.array(PrivacyRequestHistoryEntrySchema),
  /** Rectification only: which profile fields it corrects (never their values). */
  rectifiedFields: z.array(z.enum(RectifiableField)).optional(),
  /** Erasure only: the nodes that have not yet returned a signed receipt for their erase order. */
  pendingNodes: z.array(NodeIdSchema).optional(),
});

export const PrivacyRequestListSchema = z.object({ items: z.array(PrivacyRequestSchema) });

/**
 * One of the caller's own requests, as a client user sees it: no history (who moved it is the
 * DPO's business), but when it finished and whether an erasure certificate was signed.
 */
export const MyPrivacyRequestSchema = z.object({
  requestId: EntityIdSchema,
  kind: z.enum(PrivacyRequestKind),
  status: z.enum(PrivacyRequestStatus),
  createdAt: TimestampSchema,
  deadlineAt: TimestampSchema,
  overdue: z.boolean(),
  /** When it reached completed, in-effect, lifted or rejected; null while open. */
  finishedAt: TimestampSchema.nullable(),
  /**
   * A completed erasure has a signed certificate. The DPO hands it over (GET …/certificate): the
   * erasure disables the account, so its subject can no longer sign in to fetch it.
   */
  certificateIssued: z.boolean(),
});

export const MyPrivacyRequestListSchema = z.object({ items: z.array(MyPrivacyRequestSchema) });

/** The one-time download of an access export: shown once, in the approve reply, never again. */
export const PrivacyExportDeliverySchema = z.object({
  /** GET /api/v1/privacy/exports/{token}; works once. */
  token: z.string(),
  /** The export's key (enclave key id and base64 of its 32 bytes); not stored anywhere. */
  keyId: z.string(),
  key: z.string(),
  format: z.literal('enclave-stream/v1 (decryptBuffer) of enclave-subject-export/v1 JSON'),
});

export const PrivacyDecisionSchema = z.object({
  request: PrivacyRequestSchema,
  /** Access requests only. */
  export: PrivacyExportDeliverySchema.optional(),
});

// --- Erasure certificate ------------------------------------------------------------------------

export const NodeErasureStatus = { Pending: 'pending', Erased: 'erased', Failed: 'failed' } as const;
export type NodeErasureStatus = (typeof NodeErasureStatus)[keyof typeof NodeErasureStatus];

export const NodeErasureSchema = z.object({
  nodeId: NodeIdSchema,
  orderId: EntityIdSchema,
  status: z.enum(NodeErasureStatus),
  receivedAt: TimestampSchema.optional(),
  receipt: EraseReceiptBodySchema.optional(),
  /** How many times the order was sent (re-sent while the node has not answered). */
  attempts: z.int().min(1).optional(),
  /** The latest send of the order. */
  lastSentAt: TimestampSchema.optional(),
});
export type NodeErasure = z.infer<typeof NodeErasureSchema>;

export const ErasureCertificateBodySchema = z.object({
  format: z.literal('enclave-erasure-certificate/v1'),
  requestId: EntityIdSchema,
  tenantId: EntityIdSchema,
  subjectPseudonym: z.string(),
  erasedAt: TimestampSchema,
  erased: z.array(
    z.object({
      what: z.string(),
      where: z.string(),
      how: z.string(),
      /** done | pending | out-of-scope */
      status: z.enum(['done', 'pending', 'out-of-scope']),
      ids: z.array(z.string()),
    }),
  ),
  destroyedKeyIds: z.array(z.string()),
  /**
   * One row per erase order sent to a node: `pending` until the node's signed receipt arrives,
   * then `erased` (or `failed`, if the node reported an item it could not erase) with the
   * receipt as the node signed it, its certificate included.
   */
  nodeReceipts: z.array(NodeErasureSchema).optional(),
  /** The nodes whose receipt is still awaited (their orders are re-sent); empty when complete. */
  pendingNodes: z.array(NodeIdSchema).optional(),
  /** The appliance intermediate CA that issues node certificates, to check the receipts offline. */
  nodeIssuerPem: z.string().optional(),
  /** The audit entry that records this erasure (its seq and chain hash). */
  auditSeq: z.int().min(1),
  auditHash: z.string(),
});

export const ErasureCertificateSchema = z.object({
  certificate: ErasureCertificateBodySchema,
  /** Ed25519 (the audit signing key) over the certificate's signing bytes, base64url. */
  signature: z.string(),
  publicKeyPem: z.string(),
});

export type CreatePrivacyRequest = z.infer<typeof CreatePrivacyRequestSchema>;
export type Rectification = z.infer<typeof RectificationSchema>;
export type VerifyIdentityRequest = z.infer<typeof VerifyIdentityRequestSchema>;
export type PrivacyRequestDto = z.infer<typeof PrivacyRequestSchema>;
export type MyPrivacyRequest = z.infer<typeof MyPrivacyRequestSchema>;
export type PrivacyRequestHistoryEntry = z.infer<typeof PrivacyRequestHistoryEntrySchema>;
export type PrivacyDecision = z.infer<typeof PrivacyDecisionSchema>;
export type PrivacyExportDelivery = z.infer<typeof PrivacyExportDeliverySchema>;
export type ErasureCertificateBody = z.infer<typeof ErasureCertificateBodySchema>;
export type ErasureCertificate = z.infer<typeof ErasureCertificateSchema>;
export type IdentityVerificationMethod =
  (typeof IdentityVerificationMethod)[keyof typeof IdentityVerificationMethod];
