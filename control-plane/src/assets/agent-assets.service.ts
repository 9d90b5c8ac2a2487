// The agent's side of the asset store, over mutual TLS: the project DEK for a task the node
// holds, the stored ciphertext of the task's inputs byte for byte, and the task's outputs as
// ciphertext under the project DEK, every chunk verified on the way to disk. Each call is
// fenced by the live assignment (task-lease.ts); a shredded project answers 410.
import {
  ContractError,
  ErrorCode,
  MediaTypeSchema,
  MEDIA_TYPE_HEADER,
  type AgentDataKey,
  type AssetRef,
} from '@enclave/contracts';
import { exportDataKey, type DataKey } from '@enclave/crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { NodeCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { AssetStore } from './asset-store.ts';
import { AssetsRepository } from './assets.repository.ts';
import { gone } from './assets.service.ts';
import { ByteLimit, VerifyingTap } from './byte-streams.ts';
import { checkDeclaredLength, declaredType, requestBody } from './request-body.ts';
import { heldTask, type HeldTask } from './task-lease.ts';
import { declaredOutputNames, inputAssetIds } from './task-outputs.ts';

@Injectable()
export class AgentAssetsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly keys: ProjectKeys,
    private readonly assets: AssetsRepository,
    private readonly store: AssetStore,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async dataKey(node: NodeCaller, taskId: string, epoch: number, res: ServerResponse): Promise<AgentDataKey> {
    const held = await this.#held(node, taskId, epoch);
    res.setHeader('Cache-Control', 'no-store');
    const key = await this.keys.dataKey(held);
    const bytes = exportDataKey(key);
    try {
      this.log.write('info', 'Data key handed to node', {
        nodeId: node.nodeId,
        taskId,
        epoch,
        keyId: key.keyId,
      });
      return { keyId: key.keyId, key: bytes.toString('base64'), outputs: declaredOutputNames(held.task) };
    } finally {
      bytes.fill(0);
      key.destroy();
    }
  }

  async input(
    node: NodeCaller,
    taskId: string,
    assetId: string,
    epoch: number,
    res: ServerResponse,
  ): Promise<void> {
    const held = await this.#held(node, taskId, epoch);
    const inputs = await inputAssetIds(this.orm.em.fork(), held.task);
    const row = inputs.has(assetId) ? await this.assets.findById(assetId) : null;
    if (row === null || row.project.id !== held.projectId || row.tenant.id !== held.tenantId) {
      throw new ContractError(ErrorCode.NOT_FOUND, `Asset ${assetId} is not an input of task ${taskId}.`);
    }
    if (row.state === 'erased') throw gone(row);
    await this.keys.assertLive(held.projectId);
    const file = await this.store.open(row.storageKey);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(row.sizeBytes));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(file, res);
    } catch (error) {
      this.log.write('warn', 'Input transfer to node cut', {
        nodeId: node.nodeId,
        taskId,
        assetId,
        error: String(error),
      });
      res.destroy();
    }
  }

  async output(
    node: NodeCaller,
    taskId: string,
    name: string,
    epoch: number,
    req: IncomingMessage,
  ): Promise<AssetRef> {
    const held = await this.#held(node, taskId, epoch);
    if (!declaredOutputNames(held.task).includes(name)) {
      throw new ContractError(ErrorCode.VALIDATION_FAILED, `Task ${taskId} declares no output "${name}".`, [
        {
          path: 'params.name',
          message: `not an output of this task (${declaredOutputNames(held.task).join(', ')})`,
        },
      ]);
    }
    if (declaredType(req) !== 'application/octet-stream') {
      throw new ContractError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send the ciphertext as Content-Type: application/octet-stream.',
      );
    }
    const mediaType = MediaTypeSchema.safeParse(req.headers[MEDIA_TYPE_HEADER]);
    if (!mediaType.success) {
      throw new ContractError(
        ErrorCode.VALIDATION_FAILED,
        `Header ${MEDIA_TYPE_HEADER} must name the output's media type, e.g. video/mp4.`,
        [{ path: `headers.${MEDIA_TYPE_HEADER}`, message: 'must be a media type such as "video/mp4"' }],
      );
    }
    const limit = this.config.ENCLAVE_ASSET_LIMIT_BYTES;
    checkDeclaredLength(req, limit);
    const key = await this.keys.dataKey(held);
    const assetId = this.random.id();
    const storageKey = this.store.storageKey(held.tenantId, held.projectId, assetId);
    let stored;
    try {
      stored = await this.store.write(storageKey, requestBody(req), [
        new ByteLimit(limit),
        new VerifyingTap((keyId) => onlyProjectKey(key, keyId)),
      ]);
    } finally {
      key.destroy();
    }
    try {
      await this.assets.insert({
        id: assetId,
        tenantId: held.tenantId,
        projectId: held.projectId,
        name,
        mediaType: mediaType.data,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageKey,
        keyId: key.keyId,
        origin: 'task',
        taskId,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      await this.store.remove(storageKey).catch(() => undefined);
      throw error;
    }
    this.log.write('info', 'Asset stored', {
      assetId,
      taskId,
      nodeId: node.nodeId,
      sizeBytes: stored.sizeBytes,
      origin: 'task',
    });
    return { name, assetId, mediaType: mediaType.data, sizeBytes: stored.sizeBytes, sha256: stored.sha256 };
  }

  /** The lease check, then 410 when the project was shredded. */
  async #held(node: NodeCaller, taskId: string, epoch: number): Promise<HeldTask> {
    const held = await heldTask(this.orm.em.fork(), node.nodeId, taskId, epoch);
    await this.keys.assertLive(held.projectId);
    return held;
  }
}

function onlyProjectKey(key: DataKey, keyId: string): Promise<DataKey> {
  if (keyId === key.keyId) return Promise.resolve(key);
  return Promise.reject(
    new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `The upload is encrypted under key ${keyId.slice(0, 64)}, not this project's data key ${key.keyId}; ` +
        'fetch the key from /agent/v1/tasks/:taskId/data-key and encrypt with it.',
    ),
  );
}
