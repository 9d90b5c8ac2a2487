// The breach register (PDPL Art. 9; privacy policy §12): each breach with its scope (projects of
// the tenant and a window of exposure), its status and the notification deadline, detectedAt +
// ENCLAVE_BREACH_NOTIFY_HOURS. The affected subjects are found by query, not typed in: whoever
// submitted a job in a scoped project inside the window, or created a scoped project inside it.
// The description may name people or systems: it is stored only sealed under the tenant's key
// (the audit-details sealer, bound to the breach id), and reads open it.
import {
  AuditAction,
  BreachStatus,
  ContractError,
  ErrorCode,
  type AffectedSubjects,
  type BreachDto,
  type CreateBreachRequest,
  type EncryptedField,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import { DetailsSealer, type DetailsContext } from '../audit/details-sealer.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Project } from '../database/entities/project.entity.ts';
import { Breach, type BreachRow } from './breach.entity.ts';

const HOUR_MS = 3_600_000;
/** Clocks of the DPO's machine and the appliance may differ a little. */
const DETECTION_SKEW_MS = 5 * 60_000;
const FINISHED: readonly string[] = [BreachStatus.Notified, BreachStatus.Closed];

/** Shown in place of a description whose tenant key is gone. */
export const DESCRIPTION_UNREADABLE = '[unreadable: the sealing key is gone]';

export function toBreach(row: BreachRow, now: Date, description: string): BreachDto {
  return {
    breachId: row.id,
    detectedAt: row.detectedAt.toISOString(),
    description,
    scope: {
      projectIds: row.scopeProjectIds ?? null,
      from: row.scopeFrom.toISOString(),
      to: row.scopeTo.toISOString(),
    },
    status: row.status,
    notifyBy: row.notifyBy.toISOString(),
    overdue: !FINISHED.includes(row.status) && now.getTime() > row.notifyBy.getTime(),
    createdAt: row.createdAt.toISOString(),
  };
}

@Injectable()
export class BreachRegister {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly sealer: DetailsSealer,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async create(caller: UserCaller, request: CreateBreachRequest): Promise<BreachDto> {
    const detectedAt = new Date(request.detectedAt);
    if (detectedAt.getTime() > this.clock.now().getTime() + DETECTION_SKEW_MS) {
      throw new ContractError(ErrorCode.VALIDATION_FAILED, 'A breach cannot be detected in the future.', [
        { path: 'body.detectedAt', message: 'must not be later than now; give when the breach was detected' },
      ]);
    }
    const projectIds = request.scope.projectIds === undefined ? null : [...new Set(request.scope.projectIds)];
    const em = this.orm.em.fork();
    if (projectIds !== null) {
      const found = await em.count(Project, { tenant: caller.tenantId, id: { $in: projectIds } });
      if (found !== projectIds.length) throw notFound('project in the breach scope');
    }
    const id = this.random.id();
    const sealed = await this.sealer.seal(sealingContext(caller.tenantId), {
      breachId: id,
      description: request.description,
    });
    const row = await em.transactional(async (tx) => {
      const created = tx.create(Breach, {
        id,
        tenant: caller.tenantId,
        detectedAt,
        description: JSON.stringify(sealed),
        scopeProjectIds: projectIds,
        scopeFrom: new Date(request.scope.from),
        scopeTo: new Date(request.scope.to),
        status: request.status ?? BreachStatus.Open,
        notifyBy: new Date(detectedAt.getTime() + this.config.ENCLAVE_BREACH_NOTIFY_HOURS * HOUR_MS),
        createdAt: this.clock.now(),
        createdBy: userActor(caller.userId),
      });
      await tx.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.PrivacyBreachRecorded,
          targets: [created.id, ...(projectIds ?? [])],
          details: { description: request.description, detectedAt: request.detectedAt },
        },
        { em: tx },
      );
      return created;
    });
    return toBreach(row, this.clock.now(), request.description);
  }

  async list(caller: UserCaller): Promise<{ items: BreachDto[] }> {
    const rows = await this.orm.em
      .fork()
      .find(Breach, { tenant: caller.tenantId }, { orderBy: { detectedAt: 'desc', id: 'asc' } });
    const now = this.clock.now();
    return { items: await Promise.all(rows.map(async (row) => toBreach(row, now, await this.#open(row)))) };
  }

  async setStatus(caller: UserCaller, breachId: string, status: BreachStatus): Promise<BreachDto> {
    const em = this.orm.em.fork();
    const row = await this.#find(em, caller, breachId);
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(Breach, { id: row.id }, { status });
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.PrivacyBreachStatusChanged,
          targets: [row.id],
          details: { from: row.status, to: status },
        },
        { em: tx },
      );
    });
    row.status = status;
    return toBreach(row, this.clock.now(), await this.#open(row));
  }

  /** The plaintext description; a sealed value moved to another breach row does not open. */
  async #open(row: BreachRow): Promise<string> {
    let sealed: EncryptedField;
    try {
      sealed = JSON.parse(row.description) as EncryptedField;
    } catch {
      return DESCRIPTION_UNREADABLE;
    }
    const opened = await this.sealer.open(sealingContext(row.tenant.id), sealed).catch((): null => null);
    if (opened === null || opened['breachId'] !== row.id || typeof opened['description'] !== 'string') {
      return DESCRIPTION_UNREADABLE;
    }
    return opened['description'];
  }

  async affectedSubjects(caller: UserCaller, breachId: string): Promise<AffectedSubjects> {
    const em = this.orm.em.fork();
    const breach = await this.#find(em, caller, breachId);
    const from = breach.scopeFrom;
    const to = breach.scopeTo;
    const projects = await em.find(Project, {
      tenant: caller.tenantId,
      ...(breach.scopeProjectIds == null ? {} : { id: { $in: breach.scopeProjectIds } }),
    });
    const projectIds = projects.map((project) => project.id);
    const jobs =
      projectIds.length === 0
        ? []
        : await em.find(Job, {
            tenant: caller.tenantId,
            project: { $in: projectIds },
            submittedAtMs: { $gte: from.getTime(), $lte: to.getTime() },
          });
    const subjects = new Map<string, { projects: Set<string>; jobs: number }>();
    const of = (userId: string) => {
      let entry = subjects.get(userId);
      if (entry === undefined) subjects.set(userId, (entry = { projects: new Set(), jobs: 0 }));
      return entry;
    };
    for (const project of projects) {
      const createdBy = project.createdBy?.id;
      if (createdBy !== undefined && project.createdAt >= from && project.createdAt <= to) {
        of(createdBy).projects.add(project.id);
      }
    }
    for (const job of jobs) {
      const createdBy = job.createdBy?.id;
      if (createdBy === undefined) continue;
      const entry = of(createdBy);
      entry.jobs += 1;
      entry.projects.add(job.project.id);
    }
    return {
      breachId: breach.id,
      subjects: [...subjects.entries()]
        .map(([userId, entry]) => ({
          subject: userActor(userId),
          projects: entry.projects.size,
          jobs: entry.jobs,
        }))
        .sort((a, b) => a.subject.localeCompare(b.subject)),
      projectsInScope: projects.length,
      jobsInScope: jobs.length,
    };
  }

  async #find(em: EntityManager, caller: UserCaller, breachId: string): Promise<BreachRow> {
    const row = await em.findOne(Breach, { id: breachId, tenant: caller.tenantId });
    if (row === null) throw notFound('breach');
    return row;
  }
}

/** The tenant's audit-details key, under the breach register's own AAD action. */
function sealingContext(tenantId: string): DetailsContext {
  return { tenantId, action: AuditAction.PrivacyBreachRecorded };
}
