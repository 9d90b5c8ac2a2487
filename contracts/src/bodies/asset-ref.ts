// Big files never go through Kafka: messages name them, and the agent streams the ciphertext
// over mTLS from the control plane's /agent/* endpoints.
import { z } from 'zod';
import {
  ByteCountSchema,
  EntityIdSchema,
  FieldNameSchema,
  MediaTypeSchema,
  Sha256HexSchema,
} from '../primitives.ts';

export const AssetRefSchema = z.object({
  /** The name the task's steps use for this file (`voiceover`, `background`). */
  name: FieldNameSchema,
  assetId: EntityIdSchema,
  mediaType: MediaTypeSchema,
  /** Size of the stored (encrypted) object, so the agent can check space before fetching. */
  sizeBytes: ByteCountSchema,
  /**
   * SHA-256 of the stored encrypted object, checked after transfer. A hash of the plaintext
   * would let anyone holding a candidate file confirm the content, so it is not used.
   */
  sha256: Sha256HexSchema,
});

export type AssetRef = z.infer<typeof AssetRefSchema>;
