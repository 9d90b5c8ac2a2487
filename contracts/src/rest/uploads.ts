// Resumable uploads: a large file sent as a sequence of pieces, each its own request, into one
// encrypted asset. The session is created with the file's size and type; each piece must start
// where the stored bytes end (the session's `offset`), so a client that lost a reply asks for
// the offset and carries on from there. The piece that reaches `size` completes the asset.
import { z } from 'zod';
import { EntityIdSchema, Sha256HexSchema, TimestampSchema } from '../primitives.ts';
import { AssetNameSchema, AssetSchema, UPLOAD_MEDIA_TYPES } from './assets.ts';

export const UploadState = { Receiving: 'receiving', Completed: 'completed' } as const;
export type UploadState = (typeof UploadState)[keyof typeof UploadState];

export const CreateUploadRequestSchema = z
  .object({
    name: AssetNameSchema,
    /** Plaintext size in bytes; at least 1 (an empty file is not an asset). */
    size: z.int().min(1, 'must be at least 1 byte').max(Number.MAX_SAFE_INTEGER),
    /** The media type the file's first bytes are checked against (as the plain upload's Content-Type). */
    contentType: z.enum(UPLOAD_MEDIA_TYPES),
    /** SHA-256 of the whole plaintext, checked before the asset is stored; optional. */
    sha256: Sha256HexSchema.optional(),
  })
  .strict();

export const UploadSessionSchema = z.object({
  uploadId: EntityIdSchema,
  projectId: EntityIdSchema,
  name: z.string(),
  mediaType: z.enum(UPLOAD_MEDIA_TYPES),
  size: z.int().min(1),
  /** Plaintext bytes stored so far: where the next piece starts. */
  offset: z.int().min(0),
  /** Every piece but the last is exactly this long; the last one is `size - offset`. */
  chunkSize: z.int().min(1),
  sha256: Sha256HexSchema.nullable(),
  state: z.enum(UploadState),
  createdAt: TimestampSchema,
  /** An unfinished session is deleted (with its stored bytes) after this; each piece extends it. */
  expiresAt: TimestampSchema,
  /** The stored asset once `state` is `completed`. */
  asset: AssetSchema.nullable(),
});

export const UploadParamsSchema = z.object({ projectId: EntityIdSchema, uploadId: EntityIdSchema }).strict();

export const UploadPieceQuerySchema = z
  .object({
    /** Where this piece starts in the file: must equal the session's offset (else 409). */
    offset: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a whole number of bytes')
      .transform(Number)
      .pipe(z.int().min(0)),
  })
  .strict();

export type CreateUploadRequest = z.infer<typeof CreateUploadRequestSchema>;
export type UploadSession = z.infer<typeof UploadSessionSchema>;
