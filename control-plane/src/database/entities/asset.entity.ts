// What is known about a stored file: metadata only. The bytes live encrypted in the asset store
// (issue #6) under `storageKey`; `sha256` is the hash of the stored ciphertext, never of the
// plaintext (contracts: asset refs).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Project } from './project.entity.ts';
import { Tenant } from './tenant.entity.ts';

export const Asset = defineEntity({
  name: 'Asset',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    project: () => p.manyToOne(Project),
    name: p.string().length(255),
    mediaType: p.string().length(127),
    sizeBytes: p.integer(),
    sha256: p.string().length(64),
    storageKey: p.string().length(255).unique(),
    createdAt: p.datetime(),
  },
  indexes: [{ properties: ['tenant', 'project'] }],
});

export type AssetRow = InferEntity<typeof Asset>;
