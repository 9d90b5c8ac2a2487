// Reading model files from disk (the only filesystem access for models), always through the
// manifest check.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '@enclave/contracts';
import {
  ModelIntegrityError,
  ModelManifestSchema,
  checkModelBytes,
  manifestEntry,
  type ModelManifest,
  type ModelSource,
} from './model-manifest.ts';

/** gpu-node/models.manifest.json, shipped with the package. */
export const DEFAULT_MANIFEST_PATH = resolve(import.meta.dirname, '../../models.manifest.json');

export async function loadModelManifest(path: string = DEFAULT_MANIFEST_PATH): Promise<ModelManifest> {
  const parsed = check(ModelManifestSchema, JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`model manifest ${path} is invalid: ${parsed.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** The installed package root of the manifest's model package (face-api ships its weights). */
export function installedPackageRoot(packageName: string): string {
  return dirname(fileURLToPath(import.meta.resolve(`${packageName}/package.json`)));
}

/** The manifest shipped with gpu-node and the model package as installed next to it. */
export async function defaultModelSource(manifestPath?: string): Promise<ModelSource> {
  const manifest = await loadModelManifest(manifestPath);
  return { root: installedPackageRoot(manifest.package), manifest };
}

/** Reads one model file and returns its bytes only if they match the manifest. */
export async function readVerifiedModelFile(source: ModelSource, path: string): Promise<Buffer> {
  const entry = manifestEntry(source.manifest, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(join(source.root, entry.path));
  } catch (error) {
    throw new ModelIntegrityError(
      entry.path,
      `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  checkModelBytes(entry, bytes);
  return bytes;
}

export interface VerifiedModels {
  readonly files: number;
  readonly bytes: number;
}

/** Hashes every file of the manifest; throws ModelIntegrityError on the first mismatch. */
export async function verifyModels(source: ModelSource): Promise<VerifiedModels> {
  let bytes = 0;
  for (const entry of source.manifest.files)
    bytes += (await readVerifiedModelFile(source, entry.path)).length;
  return { files: source.manifest.files.length, bytes };
}
