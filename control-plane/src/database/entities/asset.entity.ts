// What is known about a stored file: metadata only. The bytes live encrypted in the asset store
// (control-plane/src/assets/, `$ENCLAVE_DATA_DIR/assets/<storageKey>`) under the project's DEK
// `keyId`; `sha256` and `sizeBytes` describe the stored ciphertext, never the plaintext
// (contracts: asset refs). An erased asset keeps its row (state `erased`) so its id answers 410.
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
    /** `upload` (a producer's file) or `task` (an output a node stored for `taskId`). */
    origin: p.enum(['upload', 'task']).default('upload'),
    taskId: p.string().length(64).nullable(),
    /** The DEK the content is encrypted under (the project's). */
    keyId: p.string().length(64).nullable(),
    state: p.enum(['stored', 'erased']).default('stored'),
    erasedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['tenant', 'project'] }, { properties: ['taskId'] }],
});

export type AssetRow = InferEntity<typeof Asset>;
