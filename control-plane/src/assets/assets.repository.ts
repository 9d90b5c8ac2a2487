// Asset rows. Producer reads are bounded by the caller's TenantScope (another tenant's asset is
// indistinguishable from one that does not exist); the agent side looks assets up by id and
// then checks them against the task's own project.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Asset, type AssetRow } from '../database/entities/asset.entity.ts';
import type { TenantScope } from '../database/tenant-scope.ts';

export interface NewAsset {
  readonly id: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly keyId: string;
  readonly origin: 'upload' | 'task';
  readonly taskId: string | null;
  readonly createdAt: Date;
}

@Injectable()
export class AssetsRepository {
  constructor(private readonly em: EntityManager) {}

  find(scope: TenantScope, assetId: string): Promise<AssetRow | null> {
    return this.em.findOne(Asset, { id: assetId, tenant: scope.tenantId });
  }

  list(scope: TenantScope, projectId: string): Promise<AssetRow[]> {
    return this.em.find(
      Asset,
      { tenant: scope.tenantId, project: projectId },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  /** Any tenant: for the agent routes, which check the task's project themselves. */
  findById(assetId: string): Promise<AssetRow | null> {
    return this.em.fork().findOne(Asset, { id: assetId });
  }

  async insert(asset: NewAsset): Promise<AssetRow> {
    const em = this.em.fork();
    const { tenantId, projectId, ...rest } = asset;
    const row = em.create(Asset, {
      ...rest,
      tenant: tenantId,
      project: projectId,
      state: 'stored',
      erasedAt: null,
    });
    await em.flush();
    return row;
  }

  /** Marks every stored asset of the project erased; returns how many. */
  markProjectErased(tenantId: string, projectId: string, at: Date): Promise<number> {
    return this.em
      .fork()
      .nativeUpdate(
        Asset,
        { tenant: tenantId, project: projectId, state: 'stored' },
        { state: 'erased', erasedAt: at },
      );
  }
}
