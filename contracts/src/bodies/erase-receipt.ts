// node → control plane: what the node erased for an erase.order, signed with the node's
// certificate key. Receipts from every node make up the erasure certificate a DPO hands over.
import { z } from 'zod';
import { canonicalJson } from '../canonical-json.ts';
import { EntityIdSchema, NoteSchema, Sha256HexSchema, TimestampSchema } from '../primitives.ts';
import type { NodeId } from '../node-id.ts';

export const EraseOutcome = {
  /** Everything held under the key is gone (files deleted, key material dropped from memory). */
  Erased: 'erased',
  /** The node held nothing under that key. */
  NotHeld: 'not-held',
  /** Something could not be erased; `note` says what. The control plane escalates. */
  Failed: 'failed',
} as const;

export type EraseOutcome = (typeof EraseOutcome)[keyof typeof EraseOutcome];

export const EraseReceiptItemSchema = z.object({
  keyId: EntityIdSchema,
  outcome: z.enum(EraseOutcome),
  /** Cache entries and scratch files removed, and their total size. */
  files: z.int().min(0),
  bytes: z.int().min(0),
  note: NoteSchema.optional(),
});

/** JOSE names. The verifier must also check that `alg` fits the certificate's key type. */
export const SignatureAlg = { RS256: 'RS256', PS256: 'PS256', ES256: 'ES256', EdDSA: 'EdDSA' } as const;

export type SignatureAlg = (typeof SignatureAlg)[keyof typeof SignatureAlg];

export const ReceiptSignatureSchema = z.object({
  alg: z.enum(SignatureAlg),
  /** SHA-256 of the signing certificate (DER), so the verifier finds it across renewals. */
  certSha256: Sha256HexSchema,
  /** The signature over eraseReceiptSigningBytes(...), base64url without padding. */
  value: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding'),
  /**
   * The signing node certificate (PEM), so a verifier needs only the appliance CA to check the
   * receipt, now or years later from an erasure certificate. Not part of the signed bytes: it is
   * bound by `certSha256` and checked against the CA instead.
   */
  certificatePem: z
    .string()
    .max(8192)
    .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, 'must be one PEM certificate')
    .optional(),
});

export const EraseReceiptBodySchema = z.object({
  orderId: EntityIdSchema,
  items: z.array(EraseReceiptItemSchema).min(1).max(1024),
  completedAt: TimestampSchema,
  signature: ReceiptSignatureSchema,
});

export type EraseReceiptItem = z.infer<typeof EraseReceiptItemSchema>;
export type ReceiptSignature = z.infer<typeof ReceiptSignatureSchema>;
export type EraseReceiptBody = z.infer<typeof EraseReceiptBodySchema>;

/** Names what the signature is for, so a node's signature over anything else never passes. */
export const ERASE_RECEIPT_SIGNING_CONTEXT = 'enclave.erase-receipt.v1';

/**
 * The exact bytes a node signs and the control plane verifies: canonical JSON (RFC 8785) of the
 * receipt without its signature, bound to the node and tenant so it cannot be replayed for
 * another node's or tenant's order.
 */
export function eraseReceiptSigningBytes(input: {
  nodeId: NodeId;
  tenantId: string;
  body: Omit<EraseReceiptBody, 'signature'>;
}): Buffer {
  const { orderId, items, completedAt } = input.body;
  return Buffer.from(
    canonicalJson({
      context: ERASE_RECEIPT_SIGNING_CONTEXT,
      nodeId: input.nodeId,
      tenantId: input.tenantId,
      orderId,
      completedAt,
      items,
    }),
    'utf8',
  );
}
