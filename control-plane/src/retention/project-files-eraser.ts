// What the retention sweep deletes for an expired project, behind one seam: `plan` lists it
// (the dry run shows exactly that) and `erase` deletes exactly a plan, nothing it did not list.
//
// AssetDirectoryEraser: the project's stored Asset rows are marked erased (state `erased`,
// erasedAt; the row stays so the asset's id answers 410, as the asset store does) and the
// files under `$ENCLAVE_DATA_DIR/assets/<tenant>/<project>/` are deleted. The retention module
// wires CryptoShreddingEraser (crypto-shredding.eraser.ts), which destroys the project DEK
// before the files go.
import type { EntityManager } from '@mikro-orm/core';
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Asset } from '../database/entities/asset.entity.ts';

export interface ProjectRef {
  readonly tenantId: string;
  readonly projectId: string;
}

export interface ErasurePlan {
  readonly assetIds: readonly string[];
  /** Paths relative to the data directory, sorted. */
  readonly files: readonly string[];
}

export abstract class ProjectFilesEraser {
  abstract plan(em: EntityManager, project: ProjectRef): Promise<ErasurePlan>;
  /** Rows are erased in `em` (the sweep's transaction); files once it has committed. */
  abstract eraseRows(em: EntityManager, project: ProjectRef, plan: ErasurePlan, at: Date): Promise<void>;
  abstract eraseFiles(project: ProjectRef, plan: ErasurePlan): Promise<void>;
}

export const ASSETS_DIR = 'assets';

export class AssetDirectoryEraser extends ProjectFilesEraser {
  readonly #dataDir: string;

  constructor(dataDir: string) {
    super();
    this.#dataDir = resolve(dataDir);
  }

  async plan(em: EntityManager, project: ProjectRef): Promise<ErasurePlan> {
    const rows = await em.find(
      Asset,
      { tenant: project.tenantId, project: project.projectId, state: 'stored' },
      { fields: ['id'], orderBy: { id: 'asc' } },
    );
    const files = (await listFiles(this.#projectDir(project))).map((file) => relative(this.#dataDir, file));
    return { assetIds: rows.map((row) => row.id), files: files.sort() };
  }

  async eraseRows(em: EntityManager, project: ProjectRef, plan: ErasurePlan, at: Date): Promise<void> {
    if (plan.assetIds.length === 0) return;
    await em.nativeUpdate(
      Asset,
      { id: { $in: [...plan.assetIds] }, tenant: project.tenantId, project: project.projectId },
      { state: 'erased', erasedAt: at },
    );
  }

  async eraseFiles(project: ProjectRef, plan: ErasurePlan): Promise<void> {
    const dir = this.#projectDir(project);
    for (const file of plan.files) {
      const full = resolve(this.#dataDir, file);
      // Only inside this project's directory, whatever a plan says.
      if (!full.startsWith(dir + sep)) throw new Error(`Refusing to erase ${file}: outside ${dir}.`);
      await rm(full, { force: true });
    }
    await removeEmptyDirs(dir);
  }

  #projectDir(project: ProjectRef): string {
    return join(this.#dataDir, ASSETS_DIR, project.tenantId, project.projectId);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else files.push(full);
  }
  return files;
}

/** Empty directories left behind go too; a directory with a file the plan did not list stays. */
async function removeEmptyDirs(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) await removeEmptyDirs(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}
