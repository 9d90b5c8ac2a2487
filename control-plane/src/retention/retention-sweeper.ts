// The retention sweep: every completed project whose files have expired (retention-rules.ts)
// and that no legal hold keeps is erased — its Asset rows and files (ProjectFilesEraser), one
// audit entry per project, in one transaction per project. The dry run computes the very same
// plan and stops before erasing, so its report is exactly what a real run at that instant
// deletes. Runs hourly (RetentionModule) and on demand (POST /api/v1/retention/run, per tenant).
// The same sweep shreds the personal data of accounts closed more than
// ENCLAVE_ACCOUNT_RETENTION_DAYS ago (AccountShredder, as an erasure does: the subject key is
// destroyed, the row stays as a pseudonym), unless a legal hold keeps the account.
import {
  AuditAction,
  DEFAULT_RETENTION_DAYS,
  type AccountRetentionItem,
  type RetentionItem,
  type RetentionReport,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.service.ts';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { Project } from '../database/entities/project.entity.ts';
import { User } from '../database/entities/user.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { AccountShredder } from '../privacy/account-shredder.ts';
import { LegalHold } from './legal-hold.entity.ts';
import { ProjectFilesEraser, type ErasurePlan } from './project-files-eraser.ts';
import { RetentionPolicy } from './retention-policy.entity.ts';
import { accountExpiresAt, expiresAt } from './retention-rules.ts';

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
    private readonly accounts: AccountShredder,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
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
    const closed = await this.#dueAccounts(now, options.tenantId);
    if (!options.dryRun) {
      const actor = options.actor ?? SYSTEM_ACTOR;
      for (const { item, plan } of due) await this.#erase(item, plan, actor);
      for (const account of closed.due) await this.#shred(account, actor);
    }
    return {
      dryRun: options.dryRun,
      asOf: now.toISOString(),
      items: due.map((d) => d.item),
      held,
      accounts: closed.due,
      heldAccounts: closed.held,
    };
  }

  /** Closed accounts past their retention and not yet shredded; held ones apart. */
  async #dueAccounts(
    now: Date,
    tenantId: string | undefined,
  ): Promise<{ due: AccountRetentionItem[]; held: string[] }> {
    const where = tenantId === undefined ? {} : { tenant: tenantId };
    const rows = await this.orm.em
      .fork()
      .find(
        User,
        { ...where, closedAt: { $ne: null }, erasedAt: null },
        { orderBy: { closedAt: 'asc', id: 'asc' } },
      );
    const due: AccountRetentionItem[] = [];
    const held: string[] = [];
    for (const row of rows) {
      const closedAt = row.closedAt ?? null;
      const expiry = accountExpiresAt(closedAt, this.config.ENCLAVE_ACCOUNT_RETENTION_DAYS);
      if (closedAt === null || expiry === null || now.getTime() < expiry.getTime()) continue;
      if (row.legalHoldAt != null) {
        held.push(row.id);
        continue;
      }
      due.push({
        tenantId: row.tenant.id,
        userId: row.id,
        closedAt: closedAt.toISOString(),
        expiresAt: expiry.toISOString(),
        subjectKeyId: row.subjectKeyId ?? null,
      });
    }
    return { due, held };
  }

  async #shred(item: AccountRetentionItem, actor: string): Promise<void> {
    // The key first, as an erasure does: from here on the sealed columns are noise in every copy.
    const destroyedKeyIds = await this.accounts.destroyKey(
      item.subjectKeyId,
      `account retention after closure (${item.userId})`,
    );
    const account = { tenantId: item.tenantId, userId: item.userId };
    await this.orm.em.fork().transactional(async (tx: EntityManager) => {
      await this.accounts.scrub(tx, account, this.clock.now());
      await this.audit.record(
        {
          actor,
          tenantId: item.tenantId,
          action: AuditAction.AccountDataShredded,
          targets: [item.userId],
          details: { destroyedKeyIds, closedAt: item.closedAt, expiresAt: item.expiresAt },
        },
        { em: tx },
      );
    });
    this.log.write('info', 'Retention: closed account shredded', {
      tenantId: item.tenantId,
      userId: item.userId,
      destroyedKeyIds,
    });
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
