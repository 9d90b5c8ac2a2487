// The retention sweep: every completed project whose files have expired (retention-rules.ts)
// and that no legal hold keeps is erased — its Asset rows and files (ProjectFilesEraser), one
// audit entry per project, in one transaction per project. The dry run computes the very same
// plan and stops before erasing, so its report is exactly what a real run at that instant
// deletes. Runs hourly (RetentionModule) and on demand (POST /api/v1/retention/run, per tenant).
import {
  AuditAction,
  DEFAULT_RETENTION_DAYS,
  type RetentionItem,
  type RetentionReport,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.service.ts';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { Project } from '../database/entities/project.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { LegalHold } from './legal-hold.entity.ts';
import { ProjectFilesEraser, type ErasurePlan } from './project-files-eraser.ts';
import { RetentionPolicy } from './retention-policy.entity.ts';
import { expiresAt } from './retention-rules.ts';

export interface SweepOptions {
  readonly dryRun: boolean;
  /** Only this tenant (a DPO's request); all tenants when absent (the timer's sweep). */
  readonly tenantId?: string;
  /** Who asked: `user:<id>` for an on-demand run, `system` for the timer's. */
  readonly actor?: string;
}

interface Due {
  readonly item: RetentionItem;
  readonly plan: ErasurePlan;
}

@Injectable()
export class RetentionSweeper {
  /** One sweep at a time: the timer and an on-demand run must not erase the same project twice. */
  readonly #running = new AsyncMutex();

  constructor(
    private readonly orm: MikroORM,
    private readonly eraser: ProjectFilesEraser,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly log: AppLogger,
  ) {}

  async sweep(options: SweepOptions): Promise<RetentionReport> {
    const release = await this.#running.acquire();
    try {
      return await this.#sweep(options);
    } finally {
      release();
    }
  }

  async #sweep(options: SweepOptions): Promise<RetentionReport> {
    const now = this.clock.now();
    const { due, held } = await this.#due(now, options.tenantId);
    if (!options.dryRun) {
      for (const { item, plan } of due) await this.#erase(item, plan, options.actor ?? SYSTEM_ACTOR);
    }
    return { dryRun: options.dryRun, asOf: now.toISOString(), items: due.map((d) => d.item), held };
  }

  async #due(now: Date, tenantId: string | undefined): Promise<{ due: Due[]; held: string[] }> {
    const em = this.orm.em.fork();
    const where = tenantId === undefined ? {} : { tenant: tenantId };
    const projects = await em.find(
      Project,
      { ...where, state: 'completed', completedAt: { $ne: null } },
      { orderBy: { completedAt: 'asc', id: 'asc' } },
    );
    const policies = new Map(
      (await em.find(RetentionPolicy, where)).map((row) => [row.tenant.id, row.defaultDays]),
    );
    const heldIds = new Set(
      (await em.find(LegalHold, { ...where, releasedAt: null }, { fields: ['project'] })).map(
        (row) => row.project.id,
      ),
    );
    const due: Due[] = [];
    const held: string[] = [];
    for (const project of projects) {
      const expiry = expiresAt({
        completedAt: project.completedAt ?? null,
        retentionExtendedUntil: project.retentionExtendedUntil ?? null,
        defaultDays: policies.get(project.tenant.id) ?? DEFAULT_RETENTION_DAYS,
      });
      if (expiry === null || now.getTime() < expiry.getTime()) continue;
      if (heldIds.has(project.id)) {
        held.push(project.id);
        continue;
      }
      const ref = { tenantId: project.tenant.id, projectId: project.id };
      const plan = await this.eraser.plan(em, ref);
      if (plan.assetIds.length === 0 && plan.files.length === 0) continue; // erased already
      due.push({
        plan,
        item: {
          ...ref,
          expiresAt: expiry.toISOString(),
          assetIds: [...plan.assetIds],
          files: [...plan.files],
        },
      });
    }
    return { due, held };
  }

  async #erase(item: RetentionItem, plan: ErasurePlan, actor: string): Promise<void> {
    const ref = { tenantId: item.tenantId, projectId: item.projectId };
    await this.orm.em.fork().transactional(async (tx: EntityManager) => {
      await this.eraser.eraseRows(tx, ref, plan, this.clock.now());
      await this.audit.record(
        {
          actor,
          tenantId: item.tenantId,
          action: AuditAction.ProjectFilesErased,
          targets: [item.projectId],
          details: { assetIds: [...plan.assetIds], files: plan.files.length, expiresAt: item.expiresAt },
        },
        { em: tx },
      );
    });
    // After the commit: a file that cannot be removed now is found again by tomorrow's plan.
    await this.eraser.eraseFiles(ref, plan);
    this.log.write('info', 'Retention: project files erased', {
      tenantId: item.tenantId,
      projectId: item.projectId,
      assets: plan.assetIds.length,
      files: plan.files.length,
    });
  }
}
