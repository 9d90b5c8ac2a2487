// The producer's side of the asset store: uploads encrypted as they stream in (under the
// project's DEK, checked against the declared media type, bounded in size), metadata reads,
// downloads decrypted as they stream out, and crypto-shredding a project.
import { ContractError, ErrorCode, type Asset, type ProjectErasure } from '@enclave/contracts';
import { createDecryptStream, createEncryptStream, KeyRing, type DataKey } from '@enclave/crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import type { AssetRow } from '../database/entities/asset.entity.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { ProjectsRepository } from '../projects/projects.repository.ts';
import { toAsset } from './asset-views.ts';
import { AssetStore } from './asset-store.ts';
import { AssetsRepository } from './assets.repository.ts';
import { ByteLimit, MediaTypeGate } from './byte-streams.ts';
import { checkDeclaredLength, requestBody, uploadMediaType } from './request-body.ts';

@Injectable()
export class AssetsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly assets: AssetsRepository,
    private readonly keys: ProjectKeys,
    private readonly ring: KeyRing,
    private readonly store: AssetStore,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async upload(caller: UserCaller, projectId: string, name: string, req: IncomingMessage): Promise<Asset> {
    const project = await this.projects.find(caller.scope, projectId);
    if (project === null) throw notFound('project');
    const mediaType = uploadMediaType(req);
    const limit = this.config.ENCLAVE_ASSET_LIMIT_BYTES;
    checkDeclaredLength(req, limit);
    if (project.state !== 'active') throw conflict('This project is completed; it takes no new files.');
    const key = await this.keys.dataKey({ tenantId: caller.tenantId, projectId });
    const assetId = this.random.id();
    const storageKey = this.store.storageKey(caller.tenantId, projectId, assetId);
    let stored;
    try {
      stored = await this.store.write(storageKey, requestBody(req), [
        new ByteLimit(limit),
        new MediaTypeGate(mediaType),
        createEncryptStream({ key }),
      ]);
    } finally {
      key.destroy();
    }
    const row = await this.#register(storageKey, () =>
      this.assets.insert({
        id: assetId,
        tenantId: caller.tenantId,
        projectId,
        name,
        mediaType,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageKey,
        keyId: key.keyId,
        origin: 'upload',
        taskId: null,
        createdAt: this.clock.now(),
      }),
    );
    this.log.write('info', 'Asset stored', {
      assetId,
      projectId,
      sizeBytes: stored.sizeBytes,
      origin: 'upload',
    });
    return toAsset(row);
  }

  async list(caller: UserCaller, projectId: string): Promise<{ items: Asset[] }> {
    if ((await this.projects.find(caller.scope, projectId)) === null) throw notFound('project');
    await this.keys.assertLive(projectId);
    return { items: (await this.assets.list(caller.scope, projectId)).map(toAsset) };
  }

  async get(caller: UserCaller, assetId: string): Promise<Asset> {
    const row = await this.#live(caller, assetId);
    return toAsset(row);
  }

  /** Streams the plaintext; the key is opened before the first byte so a shredded one is a 410. */
  async content(caller: UserCaller, assetId: string, res: ServerResponse): Promise<void> {
    const row = await this.#live(caller, assetId);
    const key = await this.#keyOf(row);
    const file = await this.store.open(row.storageKey).catch((error: unknown) => {
      key.destroy();
      throw error;
    });
    res.statusCode = 200;
    res.setHeader('Content-Type', row.mediaType);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(
        file,
        createDecryptStream({
          resolveKey: (id) => (id === key.keyId ? Promise.resolve(key) : this.ring.getDataKey(id)),
        }),
        res,
      );
    } catch (error) {
      // Headers are out: the client sees a cut stream; the log says why.
      this.log.write('error', 'Asset download failed', { assetId, error: String(error) });
      res.destroy();
    } finally {
      key.destroy();
    }
  }

  async erase(caller: UserCaller, projectId: string): Promise<ProjectErasure> {
    const project = await this.projects.find(caller.scope, projectId);
    if (project === null) throw notFound('project');
    const ref = { tenantId: caller.tenantId, projectId };
    // The key first: once it is gone nothing of the project can be read, whatever happens next.
    const entries = await this.keys.destroy(ref, `project ${projectId} erased by user ${caller.userId}`);
    await this.store.removeProject(caller.tenantId, projectId);
    const at = this.clock.now();
    const erasedAssets = await this.assets.markProjectErased(caller.tenantId, projectId, at);
    this.log.write('info', 'Project erased (crypto-shredded)', {
      projectId,
      userId: caller.userId,
      destroyedKeyIds: entries.map((e) => e.keyId),
      erasedAssets,
    });
    return {
      projectId,
      erasedAt: at.toISOString(),
      destroyedKeyIds: entries.map((e) => e.keyId),
      erasedAssets,
    };
  }

  /** The asset in the caller's tenant (404 otherwise), and 410 once erased. */
  async #live(caller: UserCaller, assetId: string): Promise<AssetRow> {
    const row = await this.assets.find(caller.scope, assetId);
    if (row === null) throw notFound('asset');
    if (row.state === 'erased') throw gone(row);
    await this.keys.assertLive(row.project.id);
    return row;
  }

  async #keyOf(row: AssetRow): Promise<DataKey> {
    const projectKey = await this.keys.keyOf(row.project.id);
    if (projectKey === null) throw new ContractError(ErrorCode.INTERNAL, 'The asset has no project key.');
    return this.keys.open(projectKey);
  }

  /** Inserts the row for a stored file; the file is removed when that fails. */
  async #register(storageKey: string, insert: () => Promise<AssetRow>): Promise<AssetRow> {
    try {
      return await insert();
    } catch (error) {
      await this.store.remove(storageKey).catch(() => undefined);
      throw error;
    }
  }
}

export function gone(row: Pick<AssetRow, 'erasedAt'>): ContractError {
  const when = row.erasedAt ? ` on ${row.erasedAt.toISOString()}` : '';
  return new ContractError(
    ErrorCode.GONE,
    `This asset was erased${when} with its project; its content cannot be recovered.`,
  );
}
