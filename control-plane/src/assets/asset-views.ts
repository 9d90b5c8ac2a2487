// Asset rows as the API shows them.
import { ALLOWED_DATA_USES, dataCategoryOfAsset, type Asset } from '@enclave/contracts';
import type { AssetRow } from '../database/entities/asset.entity.ts';

export function toAsset(row: AssetRow): Asset {
  return {
    assetId: row.id,
    projectId: row.project.id,
    name: row.name,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    origin: row.origin,
    taskId: row.taskId ?? null,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    erasedAt: row.erasedAt ? row.erasedAt.toISOString() : null,
    dataCategory: dataCategoryOfAsset(row),
    allowedUses: [...ALLOWED_DATA_USES],
  };
}
