// Projects in SQLite; every method is bounded by the caller's TenantScope, so another tenant's
// project is indistinguishable from one that does not exist.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Project, type ProjectRow } from '../database/entities/project.entity.ts';
import type { TenantScope } from '../database/tenant-scope.ts';

export interface NewProject {
  readonly id: string;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

@Injectable()
export class ProjectsRepository {
  constructor(private readonly em: EntityManager) {}

  list(scope: TenantScope, page: Page): Promise<ProjectRow[]> {
    return this.em.find(
      Project,
      { tenant: scope.tenantId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: page.limit, offset: page.offset },
    );
  }

  find(scope: TenantScope, projectId: string): Promise<ProjectRow | null> {
    return this.em.findOne(Project, { id: projectId, tenant: scope.tenantId });
  }

  async create(scope: TenantScope, project: NewProject): Promise<ProjectRow> {
    const row = this.em.create(Project, {
      id: project.id,
      tenant: scope.tenantId,
      name: project.name,
      state: 'active',
      createdBy: project.createdBy,
      createdAt: project.createdAt,
    });
    await this.em.flush();
    return row;
  }

  async save(): Promise<void> {
    await this.em.flush();
  }
}
