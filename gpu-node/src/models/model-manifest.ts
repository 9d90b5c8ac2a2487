// The model manifest: every local model file a step may load, with its size and SHA-256. A
// step loads model bytes only through `readVerifiedModelFile`, which hashes the very bytes it
// returns, so there is no window between checking a file and using it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Sha256HexSchema } from '@enclave/contracts';

export const ModelManifestSchema = z.strictObject({
  /** The npm package the files ship in; paths are relative to its root. */
  package: z.string().min(1).max(214),
  version: z.string().min(1).max(64),
  files: z
    .array(
      z.strictObject({
        path: z
          .string()
          .max(256)
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/, 'must be a relative path')
          .refine((path) => !path.split('/').includes('..'), 'must not contain ".."'),
        sha256: Sha256HexSchema,
        bytes: z.int().min(1),
      }),
    )
    .min(1)
    .max(256),
});

export type ModelManifest = z.infer<typeof ModelManifestSchema>;
export type ModelFileEntry = ModelManifest['files'][number];

/** Where a step finds its models: the package root on disk and the manifest that vouches for them. */
export interface ModelSource {
  readonly root: string;
  readonly manifest: ModelManifest;
}

export class ModelIntegrityError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(
      `refusing model file ${path}: ${reason}; the node's model files do not match the signed-off manifest`,
    );
    this.name = 'ModelIntegrityError';
    this.path = path;
  }
}

export function manifestEntry(manifest: ModelManifest, path: string): ModelFileEntry {
  const entry = manifest.files.find((file) => file.path === path);
  if (entry === undefined) throw new ModelIntegrityError(path, 'it is not listed in the model manifest');
  return entry;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Pure check of bytes against their manifest entry. */
export function checkModelBytes(entry: ModelFileEntry, bytes: Uint8Array): void {
  if (bytes.length !== entry.bytes) {
    throw new ModelIntegrityError(entry.path, `size ${bytes.length} bytes, manifest says ${entry.bytes}`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw new ModelIntegrityError(
      entry.path,
      `SHA-256 ${actual.slice(0, 12)}… does not match the manifest's ${entry.sha256.slice(0, 12)}…`,
    );
  }
}
