// A resumable upload in progress (or just finished): what was declared, how many plaintext bytes
// are stored (`offset`), and where the ciphertext so far lives (`$ENCLAVE_DATA_DIR/uploads/...`,
// a `.partial` file in the stream format whose header holds the per-file salt). The row and the
// file together survive a restart; docs/control-plane.md ("Resumable uploads") says why appending
// to the file is safe.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Project } from '../database/entities/project.entity.ts';
import { Tenant } from '../database/entities/tenant.entity.ts';

export const UploadSession = defineEntity({
  name: 'UploadSession',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    project: () => p.manyToOne(Project),
    createdBy: p.string().length(64),
    name: p.string().length(255),
    mediaType: p.string().length(127),
    /** Declared plaintext size. */
    size: p.integer(),
    /** Declared SHA-256 of the plaintext, checked at completion. */
    sha256: p.string().length(64).nullable(),
    /** Plaintext bytes durably stored (fsynced) so far; a multiple of `chunkSize` until the end. */
    offset: p.integer(),
    /** Piece size: a whole number of encryption chunks. */
    chunkSize: p.integer(),
    /** The project DEK the partial file is sealed under. */
    keyId: p.string().length(64),
    state: p.enum(['receiving', 'completed']).default('receiving'),
    /** The asset stored at completion. */
    assetId: p.string().length(64).nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
  indexes: [{ properties: ['tenant', 'project'] }, { properties: ['expiresAt'] }],
});

export type UploadSessionRow = InferEntity<typeof UploadSession>;
