// The eraser the retention sweep uses on the appliance: after the rows are marked erased (in
// the sweep's transaction), the project's DEK is destroyed (ProjectKeys: journaled, idempotent)
// and only then are the ciphertext files deleted — so nothing of the project can be read even
// if a file deletion fails or a copy survives in a backup. Same order as an erase request.
import type { ProjectKeys } from '../keys/project-keys.service.ts';
import { AssetDirectoryEraser, type ErasurePlan, type ProjectRef } from './project-files-eraser.ts';

export class CryptoShreddingEraser extends AssetDirectoryEraser {
  readonly #keys: ProjectKeys;

  constructor(dataDir: string, keys: ProjectKeys) {
    super(dataDir);
    this.#keys = keys;
  }

  override async eraseFiles(project: ProjectRef, plan: ErasurePlan): Promise<void> {
    await this.#keys.destroy(project, `retention expired for project ${project.projectId}`);
    await super.eraseFiles(project, plan);
  }
}
