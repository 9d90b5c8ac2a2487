// Scripts, prompts and other client text travel only sealed. An EncryptedField is AES-256-GCM
// ciphertext under a key the appliance holds (a project DEK or a subject key); destroying that
// key erases every copy, including ones still sitting in Kafka's log.
import { z } from 'zod';
import { EntityIdSchema } from '../primitives.ts';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export const ENCRYPTED_FIELD_ALG = 'A256GCM';

/** At most 128 KiB of ciphertext (as base64url) per field: big content goes as an asset. */
export const MAX_CIPHERTEXT_CHARS = 128 * 1024;

export const EncryptedFieldSchema = z.object({
  /** Id of the key that sealed it; the reader fetches that key over mTLS, never over Kafka. */
  keyId: EntityIdSchema,
  alg: z.literal(ENCRYPTED_FIELD_ALG),
  /** 96-bit nonce: exactly 16 base64url characters, no padding. */
  iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'must be a 12-byte nonce as 16 base64url characters'),
  ct: z.string().max(MAX_CIPHERTEXT_CHARS).regex(BASE64URL, 'must be base64url without padding'),
  /** 128-bit tag: 22 base64url characters whose last one carries no stray bits. */
  tag: z.string().regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, 'must be a 16-byte tag as 22 base64url characters'),
});

export type EncryptedField = z.infer<typeof EncryptedFieldSchema>;
