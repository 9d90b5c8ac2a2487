// Upload session rows. Producer reads are bounded by the caller's TenantScope and the project
// named in the path; the offset only moves by a conditional update from the offset a piece
// started at, so two pieces racing for one position cannot both count.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import type { TenantScope } from '../database/tenant-scope.ts';
import { UploadSession, type UploadSessionRow } from './upload-session.entity.ts';

export interface NewUploadSession {
  readonly id: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly createdBy: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string | null;
  readonly chunkSize: number;
  readonly keyId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

@Injectable()
export class UploadSessionsRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(session: NewUploadSession): Promise<UploadSessionRow> {
    const em = this.em.fork();
    const { tenantId, projectId, ...rest } = session;
    const row = em.create(UploadSession, {
      ...rest,
      tenant: tenantId,
      project: projectId,
      offset: 0,
      state: 'receiving',
      assetId: null,
    });
    await em.flush();
    return row;
  }

  find(scope: TenantScope, projectId: string, uploadId: string): Promise<UploadSessionRow | null> {
    return this.em
      .fork()
      .findOne(UploadSession, { id: uploadId, tenant: scope.tenantId, project: projectId });
  }

  /** Moves the offset from `from` to `to`; false when another piece moved it first. */
  async advance(uploadId: string, from: number, to: number, expiresAt: Date): Promise<boolean> {
    const changed = await this.em
      .fork()
      .nativeUpdate(
        UploadSession,
        { id: uploadId, offset: from, state: 'receiving' },
        { offset: to, expiresAt },
      );
    return changed === 1;
  }

  async complete(uploadId: string, assetId: string, expiresAt: Date): Promise<void> {
    await this.em
      .fork()
      .nativeUpdate(UploadSession, { id: uploadId }, { state: 'completed', assetId, expiresAt });
  }

  async remove(uploadId: string): Promise<void> {
    await this.em.fork().nativeDelete(UploadSession, { id: uploadId });
  }

  /** Every tenant: for the expiry sweep. */
  expired(now: Date): Promise<UploadSessionRow[]> {
    return this.em.fork().find(UploadSession, { expiresAt: { $lt: now } }, { limit: 500 });
  }
}
