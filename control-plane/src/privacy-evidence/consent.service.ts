// Privacy notices and consent (privacy policy §5, §13; issue #7 item 4). The DPO publishes
// versions; each user records choices against the version they were shown, proven by its text
// hash. A material version makes everyone whose last record is older acknowledge again.
import {
  AuditAction,
  OPTIONAL_CONSENT_PURPOSES,
  type ConsentHistory,
  type ConsentRecordDto,
  type ConsentStats,
  type ConsentStatus,
  type PrivacyNotice,
  type PublishNoticeRequest,
  type RecordConsentRequest,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { User } from '../database/entities/user.entity.ts';
import {
  ConsentRecord,
  PrivacyNoticeRecord,
  type ConsentRecordRow,
  type PrivacyNoticeRow,
} from './consent.entities.ts';

export const noticeTextSha256 = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/** Pure: must this user acknowledge the current notice (again)? */
export function needsReacknowledgement(
  notices: readonly Pick<PrivacyNoticeRow, 'version' | 'material'>[],
  lastConsentVersion: number | null,
): boolean {
  if (notices.length === 0) return false;
  if (lastConsentVersion === null) return true;
  const latestMaterial = Math.max(0, ...notices.filter((n) => n.material).map((n) => n.version));
  return lastConsentVersion < latestMaterial;
}

function toNotice(row: PrivacyNoticeRow): PrivacyNotice {
  return {
    noticeId: row.id,
    version: row.version,
    material: row.material,
    textSha256: row.textSha256,
    text: row.text,
    publishedAt: row.publishedAt.toISOString(),
  };
}

function toRecord(row: ConsentRecordRow): ConsentRecordDto {
  return {
    consentId: row.id,
    noticeId: row.noticeId,
    noticeVersion: row.noticeVersion,
    shownTextSha256: row.shownTextSha256,
    choices: {
      essential: true,
      analytics: row.analytics,
      personalisation: row.personalisation,
      marketing: row.marketing,
    },
    recordedAt: row.recordedAt.toISOString(),
  };
}

@Injectable()
export class ConsentService {
  /** Versions are numbered under a mutex so two publications cannot take the same number. */
  readonly #publishing = new AsyncMutex();

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly random: Randomness,
  ) {}

  async current(caller: UserCaller): Promise<PrivacyNotice> {
    const row = await this.#current(this.orm.em.fork(), caller.tenantId);
    if (row === null) throw notFound('privacy notice (the DPO has not published one yet)');
    return toNotice(row);
  }

  async publish(caller: UserCaller, request: PublishNoticeRequest): Promise<PrivacyNotice> {
    const release = await this.#publishing.acquire();
    try {
      return await this.orm.em.fork().transactional(async (tx) => {
        const latest = await this.#current(tx, caller.tenantId);
        const row = tx.create(PrivacyNoticeRecord, {
          id: this.random.id(),
          tenant: caller.tenantId,
          version: (latest?.version ?? 0) + 1,
          material: request.material,
          textSha256: noticeTextSha256(request.text),
          text: request.text,
          publishedAt: this.clock.now(),
          publishedBy: userActor(caller.userId),
        });
        await tx.flush();
        await this.audit.record(
          {
            actor: userActor(caller.userId),
            tenantId: caller.tenantId,
            action: AuditAction.PrivacyNoticePublished,
            targets: [row.id],
            details: { version: row.version, material: row.material, textSha256: row.textSha256 },
          },
          { em: tx },
        );
        return toNotice(row);
      });
    } finally {
      release();
    }
  }

  async record(caller: UserCaller, request: RecordConsentRequest): Promise<ConsentRecordDto> {
    const em = this.orm.em.fork();
    const notice = await em.findOne(PrivacyNoticeRecord, { id: request.noticeId, tenant: caller.tenantId });
    if (notice === null) throw notFound('privacy notice');
    const current = await this.#current(em, caller.tenantId);
    if (current?.id !== notice.id) {
      throw conflict(
        `Notice version ${notice.version} was superseded by version ${current?.version}; show the current notice (GET /api/v1/privacy/notices/current) and record consent for it.`,
      );
    }
    if (request.shownTextSha256 !== notice.textSha256) {
      throw conflict(
        'shownTextSha256 does not match the notice: the text shown is not the published text; show the text from GET /api/v1/privacy/notices/current.',
      );
    }
    return em.transactional(async (tx) => {
      const row = tx.create(ConsentRecord, {
        id: this.random.id(),
        tenant: caller.tenantId,
        userId: caller.userId,
        noticeId: notice.id,
        noticeVersion: notice.version,
        shownTextSha256: request.shownTextSha256,
        analytics: request.analytics,
        personalisation: request.personalisation,
        marketing: request.marketing,
        recordedAt: this.clock.now(),
      });
      await tx.flush();
      await this.audit.record(
        {
          actor: userActor(caller.userId),
          tenantId: caller.tenantId,
          action: AuditAction.PrivacyConsentRecorded,
          targets: [row.id, notice.id],
        },
        { em: tx },
      );
      return toRecord(row);
    });
  }

  async history(caller: UserCaller): Promise<ConsentHistory> {
    const em = this.orm.em.fork();
    const rows = await em.find(
      ConsentRecord,
      { tenant: caller.tenantId, userId: caller.userId },
      { orderBy: { recordedAt: 'desc', noticeVersion: 'desc' } },
    );
    return {
      ...(await this.#status(em, caller.tenantId, rows[0]?.noticeVersion ?? null)),
      items: rows.map(toRecord),
    };
  }

  /** For GET /api/v1/auth/me. */
  async status(tenantId: string, userId: string): Promise<ConsentStatus> {
    const em = this.orm.em.fork();
    const last = await em.findOne(
      ConsentRecord,
      { tenant: tenantId, userId },
      { orderBy: { recordedAt: 'desc', noticeVersion: 'desc' } },
    );
    return this.#status(em, tenantId, last?.noticeVersion ?? null);
  }

  async stats(caller: UserCaller): Promise<ConsentStats> {
    const em = this.orm.em.fork();
    const notices = await em.find(
      PrivacyNoticeRecord,
      { tenant: caller.tenantId },
      { orderBy: { version: 'desc' } },
    );
    const rows = await em.find(
      ConsentRecord,
      { tenant: caller.tenantId },
      { orderBy: { recordedAt: 'asc' } },
    );
    // Each user's latest record per version (a later record on the same version replaces it).
    const latest = new Map<string, ConsentRecordRow>();
    const lastVersionOf = new Map<string, number>();
    for (const row of rows) {
      latest.set(`${row.noticeVersion}\n${row.userId}`, row);
      lastVersionOf.set(row.userId, Math.max(lastVersionOf.get(row.userId) ?? 0, row.noticeVersion));
    }
    const items = notices.map((notice) => {
      const own = [...latest.values()].filter((row) => row.noticeVersion === notice.version);
      const count = (purpose: (typeof OPTIONAL_CONSENT_PURPOSES)[number]) => {
        const granted = own.filter((row) => row[purpose]).length;
        return { granted, refused: own.length - granted };
      };
      return {
        noticeId: notice.id,
        noticeVersion: notice.version,
        material: notice.material,
        users: own.length,
        records: rows.filter((row) => row.noticeVersion === notice.version).length,
        analytics: count('analytics'),
        personalisation: count('personalisation'),
        marketing: count('marketing'),
      };
    });
    const users = await em.find(User, { tenant: caller.tenantId, disabled: false }, { fields: ['id'] });
    const awaiting = users.filter((user) =>
      needsReacknowledgement(notices, lastVersionOf.get(user.id) ?? null),
    );
    return { items, usersAwaitingAcknowledgement: awaiting.length };
  }

  async #status(em: EntityManager, tenantId: string, lastVersion: number | null): Promise<ConsentStatus> {
    const notices = await em.find(
      PrivacyNoticeRecord,
      { tenant: tenantId },
      { fields: ['version', 'material'], orderBy: { version: 'desc' } },
    );
    return {
      currentNoticeVersion: notices[0]?.version ?? null,
      reacknowledgementRequired: needsReacknowledgement(notices, lastVersion),
    };
  }

  #current(em: EntityManager, tenantId: string): Promise<PrivacyNoticeRow | null> {
    return em.findOne(PrivacyNoticeRecord, { tenant: tenantId }, { orderBy: { version: 'desc' } });
  }
}
