// Assets: files a producer uploads into a project (footage, stills, audio, subtitles) and files
// tasks produce. The bytes are stored encrypted under the project's data key; these shapes
// carry metadata only. Uploads and downloads are raw byte streams (see the route table).
import { z } from 'zod';
import {
  ByteCountSchema,
  EntityIdSchema,
  MediaTypeSchema,
  Sha256HexSchema,
  TimestampSchema,
} from '../primitives.ts';
import { DataCategory, DataUse } from './privacy-evidence.ts';

export const AssetState = { Stored: 'stored', Erased: 'erased' } as const;
export type AssetState = (typeof AssetState)[keyof typeof AssetState];
export const AssetStateSchema = z.enum(AssetState);

/**
 * Media types an upload may declare. Each is checked against the first bytes of the upload
 * (415 on a mismatch), so a file cannot pose as another kind.
 */
export const UPLOAD_MEDIA_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'image/jpeg',
  'image/png',
  'audio/wav',
  'audio/mpeg',
  'application/x-subrip',
  'text/plain',
] as const;
export type UploadMediaType = (typeof UPLOAD_MEDIA_TYPES)[number];

/**
 * A file name as the producer gave it: a single name, never a path. Control characters,
 * separators and the dot names are refused so a name can never steer where bytes are stored.
 */
export const AssetNameSchema = z
  .string()
  .min(1, 'required')
  .max(255, 'at most 255 characters')
  .refine((s) => !/[/\\]/.test(s), 'must be a file name, without "/" or "\\"')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .refine(
    (s) => s.trim() === s && s !== '.' && s !== '..',
    'must not be "." or ".." or start/end with spaces',
  );

export const AssetSchema = z.object({
  assetId: EntityIdSchema,
  projectId: EntityIdSchema,
  name: z.string(),
  mediaType: MediaTypeSchema,
  /** Size of the stored (encrypted) object. */
  sizeBytes: ByteCountSchema,
  /** SHA-256 of the stored encrypted object (never of the plaintext). */
  sha256: Sha256HexSchema,
  /** `upload` (a producer's file) or `task` (written by a task; then `taskId` is set). */
  origin: z.enum(['upload', 'task']),
  taskId: EntityIdSchema.nullable(),
  state: AssetStateSchema,
  createdAt: TimestampSchema,
  erasedAt: TimestampSchema.nullable(),
  /** What kind of client data this is (dataCategoryOfAsset); privacy §4B. */
  dataCategory: z.enum(DataCategory).optional(),
  /** What it may be used for: always `['production']`, never training. */
  allowedUses: z.array(z.enum(DataUse)).optional(),
});

export const AssetListSchema = z.object({ items: z.array(AssetSchema) });

export const AssetIdParamsSchema = z.object({ assetId: EntityIdSchema }).strict();

export const ProjectAssetsParamsSchema = z.object({ projectId: EntityIdSchema }).strict();

export const UploadAssetQuerySchema = z.object({ name: AssetNameSchema }).strict();

/** What erasing a project did: its data key destroyed, its asset files deleted. */
export const ProjectErasureSchema = z.object({
  projectId: EntityIdSchema,
  erasedAt: TimestampSchema,
  /** Ids of the keys destroyed now (empty when the project was already erased). */
  destroyedKeyIds: z.array(z.string()),
  /** Assets marked erased now. */
  erasedAssets: z.int().min(0),
});

export type Asset = z.infer<typeof AssetSchema>;
export type AssetList = z.infer<typeof AssetListSchema>;
export type ProjectErasure = z.infer<typeof ProjectErasureSchema>;
