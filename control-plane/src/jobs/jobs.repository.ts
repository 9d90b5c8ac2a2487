// Jobs, their tasks and history, read within the caller's tenant: another tenant's job is
// indistinguishable from one that does not exist. Writes happen in scheduler commands only.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Asset, type AssetRow } from '../database/entities/asset.entity.ts';
import { JobEvent, type JobEventRow } from '../database/entities/job-event.entity.ts';
import { Job, type JobRow } from '../database/entities/job.entity.ts';
import { Task, type TaskRow } from '../database/entities/task.entity.ts';
import type { TenantScope } from '../database/tenant-scope.ts';

export interface JobPage {
  readonly projectId?: string;
  readonly limit: number;
  readonly offset: number;
}

@Injectable()
export class JobsRepository {
  constructor(private readonly em: EntityManager) {}

  list(scope: TenantScope, page: JobPage): Promise<JobRow[]> {
    return this.em.find(
      Job,
      { tenant: scope.tenantId, ...(page.projectId !== undefined ? { project: page.projectId } : {}) },
      { orderBy: { submittedAtMs: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
    );
  }

  /** Always read afresh: scheduler commands change these rows in their own transactions. */
  find(scope: TenantScope, jobId: string): Promise<JobRow | null> {
    return this.em.findOne(Job, { id: jobId, tenant: scope.tenantId }, { refresh: true });
  }

  findByKey(scope: TenantScope, idempotencyKey: string): Promise<JobRow | null> {
    return this.em.findOne(Job, { tenant: scope.tenantId, idempotencyKey }, { refresh: true });
  }

  tasks(scope: TenantScope, jobId: string): Promise<TaskRow[]> {
    return this.em.find(
      Task,
      { job: jobId, tenant: scope.tenantId },
      { orderBy: { ordinal: 'asc' }, refresh: true },
    );
  }

  /** History after `afterSeq`, oldest first; progress entries only when asked for. */
  history(
    scope: TenantScope,
    jobId: string,
    options: { afterSeq?: number; withProgress: boolean; limit?: number },
  ): Promise<JobEventRow[]> {
    return this.em.find(
      JobEvent,
      {
        job: jobId,
        tenant: scope.tenantId,
        seq: { $gt: options.afterSeq ?? 0 },
        ...(options.withProgress ? {} : { kind: { $ne: 'progress' as const } }),
      },
      { orderBy: { seq: 'asc' }, ...(options.limit !== undefined ? { limit: options.limit } : {}) },
    );
  }

  assets(scope: TenantScope, projectId: string, assetIds: readonly string[]): Promise<AssetRow[]> {
    if (assetIds.length === 0) return Promise.resolve([]);
    return this.em.find(Asset, { id: { $in: [...assetIds] }, tenant: scope.tenantId, project: projectId });
  }
}
