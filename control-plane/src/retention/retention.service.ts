// Retention of one tenant's projects, for the routes: read the expiry, extend it, place and
// release legal holds, the tenant default, and the sweep on demand. Each change is audited in
// the same transaction; reasons go into the audit entry's sealed details only.
import {
  AuditAction,
  DEFAULT_RETENTION_DAYS,
  type ExtendRetentionRequest,
  type LegalHoldDto,
  type ProjectRetention,
  type RetentionReport,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { Project, type ProjectRow } from '../database/entities/project.entity.ts';
import { LegalHold, type LegalHoldRow } from './legal-hold.entity.ts';
import { RetentionPolicy } from './retention-policy.entity.ts';
import { expiresAt } from './retention-rules.ts';
import { RetentionSweeper } from './retention-sweeper.ts';

@Injectable()
export class RetentionService {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly sweeper: RetentionSweeper,
    private readonly clock: Clock,
    private readonly random: Randomness,
  ) {}

  async projectRetention(caller: UserCaller, projectId: string): Promise<ProjectRetention> {
    const em = this.orm.em.fork();
    return this.#view(em, await findProject(em, caller, projectId));
  }

  extend(caller: UserCaller, projectId: string, request: ExtendRetentionRequest): Promise<ProjectRetention> {
    return this.#tx(async (em) => {
      const project = await findProject(em, caller, projectId);
      if (project.state !== 'completed') {
        throw conflict('Retention counts from completion: complete the project first, then extend it.');
      }
      const current = await this.#view(em, project);
      const until = new Date(request.until);
      if (current.expiresAt !== null && until.getTime() <= new Date(current.expiresAt).getTime()) {
        throw conflict(`The files are already kept until ${current.expiresAt}; give a later "until".`);
      }
      project.retentionExtendedUntil = until;
      await em.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.RetentionExtended,
          targets: [projectId],
          details: { until: request.until, reason: request.reason },
        },
        { em },
      );
      return this.#view(em, project);
    });
  }

  placeHold(caller: UserCaller, projectId: string, reason: string): Promise<LegalHoldDto> {
    return this.#tx(async (em) => {
      const project = await findProject(em, caller, projectId);
      if ((await activeHold(em, caller, projectId)) !== null) {
        throw conflict('This project already has an active legal hold.');
      }
      const hold = em.create(LegalHold, {
        id: this.random.id(),
        tenant: caller.tenantId,
        project: project.id,
        placedBy: caller.userId,
        placedAt: this.clock.now(),
        releasedBy: null,
        releasedAt: null,
      });
      await em.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.LegalHoldPlaced,
          targets: [projectId, hold.id],
          details: { reason },
        },
        { em },
      );
      return toHold(hold);
    });
  }

  releaseHold(caller: UserCaller, projectId: string, reason: string): Promise<LegalHoldDto> {
    return this.#tx(async (em) => {
      await findProject(em, caller, projectId);
      const hold = await activeHold(em, caller, projectId);
      if (hold === null) throw conflict('This project has no active legal hold to release.');
      hold.releasedAt = this.clock.now();
      hold.releasedBy = caller.userId;
      await em.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.LegalHoldReleased,
          targets: [projectId, hold.id],
          details: { reason },
        },
        { em },
      );
      return toHold(hold);
    });
  }

  async policy(caller: UserCaller): Promise<{ defaultDays: number }> {
    return { defaultDays: await defaultDays(this.orm.em.fork(), caller.tenantId) };
  }

  setPolicy(caller: UserCaller, days: number): Promise<{ defaultDays: number }> {
    return this.#tx(async (em) => {
      await em.upsert(RetentionPolicy, {
        tenant: caller.tenantId,
        defaultDays: days,
        updatedAt: this.clock.now(),
      });
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.RetentionPolicySet,
          targets: [caller.tenantId],
          details: { defaultDays: days },
        },
        { em },
      );
      return { defaultDays: days };
    });
  }

  report(caller: UserCaller, dryRun: boolean): Promise<RetentionReport> {
    return this.sweeper.sweep({ dryRun, tenantId: caller.tenantId, actor: userActor(caller.userId) });
  }

  async #view(em: EntityManager, project: ProjectRow): Promise<ProjectRetention> {
    const expiry = expiresAt({
      completedAt: project.completedAt ?? null,
      retentionExtendedUntil: project.retentionExtendedUntil ?? null,
      defaultDays: await defaultDays(em, project.tenant.id),
    });
    const held = (await em.count(LegalHold, { project: project.id, releasedAt: null })) > 0;
    return {
      projectId: project.id,
      completedAt: project.completedAt?.toISOString() ?? null,
      expiresAt: expiry?.toISOString() ?? null,
      legalHold: held,
    };
  }

  #tx<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }
}

async function findProject(em: EntityManager, caller: UserCaller, projectId: string): Promise<ProjectRow> {
  const row = await em.findOne(Project, { id: projectId, tenant: caller.scope.tenantId });
  if (row === null) throw notFound('project');
  return row;
}

function activeHold(em: EntityManager, caller: UserCaller, projectId: string): Promise<LegalHoldRow | null> {
  return em.findOne(LegalHold, { tenant: caller.scope.tenantId, project: projectId, releasedAt: null });
}

async function defaultDays(em: EntityManager, tenantId: string): Promise<number> {
  return (await em.findOne(RetentionPolicy, { tenant: tenantId }))?.defaultDays ?? DEFAULT_RETENTION_DAYS;
}

function toHold(row: LegalHoldRow): LegalHoldDto {
  return {
    holdId: row.id,
    projectId: row.project.id,
    placedAt: row.placedAt.toISOString(),
    releasedAt: row.releasedAt?.toISOString() ?? null,
  };
}
