// Projects of the caller's tenant: list, create, read, complete. Completing starts the
// retention clock of the project's files, and cannot be undone here.
import { AuditAction, type Project } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import type { ProjectRow } from '../database/entities/project.entity.ts';
import { ProjectsRepository } from './projects.repository.ts';

const DEFAULT_PAGE = 100;

@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly audit: AuditTrail,
  ) {}

  async list(caller: UserCaller, page: { limit?: number; offset?: number }): Promise<{ items: Project[] }> {
    const rows = await this.projects.list(caller.scope, {
      limit: page.limit ?? DEFAULT_PAGE,
      offset: page.offset ?? 0,
    });
    return { items: rows.map(toProject) };
  }

  async create(caller: UserCaller, name: string): Promise<Project> {
    const row = await this.projects.create(caller.scope, {
      id: this.random.id(),
      name,
      createdBy: caller.userId,
      createdAt: this.clock.now(),
    });
    return toProject(row);
  }

  async get(caller: UserCaller, projectId: string): Promise<Project> {
    return toProject(await this.#find(caller, projectId));
  }

  async complete(caller: UserCaller, projectId: string): Promise<Project> {
    const row = await this.#find(caller, projectId);
    if (row.state === 'completed') {
      throw conflict(
        `This project was already completed at ${row.completedAt?.toISOString() ?? 'an earlier time'}.`,
      );
    }
    row.state = 'completed';
    row.completedAt = this.clock.now();
    await this.projects.save();
    await this.audit.record({
      actor: userActor(caller.userId),
      tenantId: caller.scope.tenantId,
      action: AuditAction.ProjectCompleted,
      targets: [row.id],
    });
    return toProject(row);
  }

  async #find(caller: UserCaller, projectId: string): Promise<ProjectRow> {
    const row = await this.projects.find(caller.scope, projectId);
    if (row === null) throw notFound('project');
    return row;
  }
}

export function toProject(row: ProjectRow): Project {
  return {
    projectId: row.id,
    name: row.name,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    retentionExtendedUntil: row.retentionExtendedUntil?.toISOString() ?? null,
  };
}
