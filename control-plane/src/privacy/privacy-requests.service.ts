// Data-subject requests (privacy policy §10, PDPL): filing, the DPO's queue with deadlines,
// identity verification, approval (which carries the right out: export, erasure, restriction)
// and rejection. Every state change is appended to the request's history and recorded in the
// audit log (notes only sealed). Tenant-scoped: another tenant's request id is 404.
import {
  AuditAction,
  PrivacyRequestKind,
  PrivacyRequestStatus,
  Role,
  type CreatePrivacyRequest,
  type ErasureCertificate,
  type PrivacyDecision,
  type PrivacyRequestDto,
  type PrivacyRequestStatus as Status,
  type VerifyIdentityRequest,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { conflict, forbidden, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { User } from '../database/entities/user.entity.ts';
import { PrivacyRequest, type PrivacyRequestRow } from './privacy-request.entity.ts';
import { isOpen, toPrivacyRequest } from './privacy-views.ts';
import { SubjectErasure } from './subject-erasure.service.ts';
import { SubjectExports } from './subject-export.service.ts';

const DAY_MS = 86_400_000;

type Notes = { notes?: string | undefined };

@Injectable()
export class PrivacyRequests {
  /** Decisions run one at a time: an erasure or export is never carried out twice. */
  readonly #deciding = new AsyncMutex();

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly exports: SubjectExports,
    private readonly erasure: SubjectErasure,
    private readonly clock: Clock,
    private readonly random: Randomness,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async create(caller: UserCaller, request: CreatePrivacyRequest): Promise<PrivacyRequestDto> {
    const subjectUserId = this.#subjectFor(caller, request.subjectUserId);
    const em = this.orm.em.fork();
    if ((await em.findOne(User, { id: subjectUserId, tenant: caller.tenantId })) === null) {
      throw notFound('user');
    }
    const now = this.clock.now();
    const row = em.create(PrivacyRequest, {
      id: this.random.id(),
      tenant: caller.tenantId,
      subjectUserId,
      kind: request.kind,
      status: PrivacyRequestStatus.Received,
      createdBy: userActor(caller.userId),
      createdAt: now,
      deadlineAt: new Date(now.getTime() + this.config.ENCLAVE_PRIVACY_DEADLINE_DAYS * DAY_MS),
      identityVerification: null,
      history: [
        { status: PrivacyRequestStatus.Received, at: now.toISOString(), by: userActor(caller.userId) },
      ],
      certificate: null,
    });
    await em.flush();
    await this.#audit(caller, AuditAction.PrivacyRequestCreated, row, request);
    return toPrivacyRequest(row, now);
  }

  async list(caller: UserCaller): Promise<{ items: PrivacyRequestDto[] }> {
    const rows = await this.orm.em
      .fork()
      .find(PrivacyRequest, { tenant: caller.tenantId }, { orderBy: { deadlineAt: 'asc', id: 'asc' } });
    const now = this.clock.now();
    return { items: rows.map((row) => toPrivacyRequest(row, now)) };
  }

  async get(caller: UserCaller, requestId: string): Promise<PrivacyRequestDto> {
    return toPrivacyRequest(await this.#find(caller, requestId), this.clock.now());
  }

  async verifyIdentity(
    caller: UserCaller,
    requestId: string,
    verification: VerifyIdentityRequest,
  ): Promise<PrivacyRequestDto> {
    return this.#decide(async () => {
      const row = await this.#find(caller, requestId);
      if (row.status !== PrivacyRequestStatus.Received) {
        throw conflict(`This request is ${row.status}; identity is verified only on a received request.`);
      }
      const updated = await this.#move(caller, row, PrivacyRequestStatus.IdentityVerified, {
        identityVerification: verification.method,
      });
      await this.#audit(caller, AuditAction.PrivacyIdentityVerified, updated, {
        method: verification.method,
        notes: verification.notes,
      });
      return toPrivacyRequest(updated, this.clock.now());
    });
  }

  async approve(caller: UserCaller, requestId: string, decision: Notes): Promise<PrivacyDecision> {
    return this.#decide(async () => {
      const row = await this.#find(caller, requestId);
      if (row.status === PrivacyRequestStatus.Received) {
        throw conflict('Verify the requester’s identity first (POST .../verify-identity), then approve.');
      }
      if (row.status !== PrivacyRequestStatus.IdentityVerified) {
        throw conflict(`This request is already ${row.status}.`);
      }
      return this.#carryOut(caller, row, decision);
    });
  }

  async reject(caller: UserCaller, requestId: string, decision: Notes): Promise<PrivacyRequestDto> {
    return this.#decide(async () => {
      const row = await this.#find(caller, requestId);
      if (!isOpen(row)) throw conflict(`This request is already ${row.status}.`);
      const updated = await this.#move(caller, row, PrivacyRequestStatus.Rejected);
      await this.#audit(caller, AuditAction.PrivacyRequestRejected, updated, decision);
      return toPrivacyRequest(updated, this.clock.now());
    });
  }

  async lift(caller: UserCaller, requestId: string, decision: Notes): Promise<PrivacyRequestDto> {
    return this.#decide(async () => {
      const row = await this.#find(caller, requestId);
      if (row.status !== PrivacyRequestStatus.InEffect) {
        throw conflict(
          `Only a restriction or objection in effect can be lifted; this request is ${row.status}.`,
        );
      }
      const updated = await this.#move(caller, row, PrivacyRequestStatus.Lifted);
      await this.#audit(caller, AuditAction.PrivacyRestrictionLifted, updated, decision);
      return toPrivacyRequest(updated, this.clock.now());
    });
  }

  async certificate(caller: UserCaller, requestId: string): Promise<ErasureCertificate> {
    const row = await this.#find(caller, requestId);
    if (row.certificate === null || row.certificate === undefined) {
      throw conflict('This request has no erasure certificate: only a completed erasure has one.');
    }
    // Rebuilt with the node receipts that arrived since the erasure (re-signed).
    return this.erasure.current(row.certificate as unknown as ErasureCertificate);
  }

  /** Privacy policy §11: a minor's account is erased at once, through an erasure request. */
  async minorDiscovered(caller: UserCaller, userId: string): Promise<PrivacyDecision> {
    const created = await this.create(caller, { kind: PrivacyRequestKind.Erasure, subjectUserId: userId });
    await this.verifyIdentity(caller, created.requestId, {
      method: 'other',
      notes: 'minor discovered by the data-protection officer (privacy policy §11)',
    });
    return this.approve(caller, created.requestId, { notes: 'minor discovered: erased at once' });
  }

  async #carryOut(caller: UserCaller, row: PrivacyRequestRow, decision: Notes): Promise<PrivacyDecision> {
    const subject = { tenantId: caller.tenantId, userId: row.subjectUserId };
    await this.#audit(caller, AuditAction.PrivacyRequestApproved, row, decision);
    switch (row.kind) {
      case PrivacyRequestKind.Access: {
        const delivery = await this.exports.create(row.id, subject);
        const updated = await this.#move(caller, row, PrivacyRequestStatus.Completed);
        return { request: toPrivacyRequest(updated, this.clock.now()), export: delivery };
      }
      case PrivacyRequestKind.Erasure: {
        const certificate = await this.erasure.erase(row.id, subject, caller.userId);
        const updated = await this.#move(caller, row, PrivacyRequestStatus.Completed, {
          certificate: certificate as unknown as Record<string, unknown>,
        });
        return { request: toPrivacyRequest(updated, this.clock.now()) };
      }
      case PrivacyRequestKind.Restriction:
      case PrivacyRequestKind.Objection: {
        const updated = await this.#move(caller, row, PrivacyRequestStatus.InEffect);
        return { request: toPrivacyRequest(updated, this.clock.now()) };
      }
      case PrivacyRequestKind.Rectification: {
        // The correction itself is made through the ordinary routes (project names, job
        // titles); approval records that it was done.
        const updated = await this.#move(caller, row, PrivacyRequestStatus.Completed);
        return { request: toPrivacyRequest(updated, this.clock.now()) };
      }
    }
  }

  #subjectFor(caller: UserCaller, named: string | undefined): string {
    if (caller.role === Role.ClientUser) {
      if (named !== undefined && named !== caller.userId) {
        throw forbidden(
          'A client user may file a request only about themselves; ask the data-protection officer.',
        );
      }
      return caller.userId;
    }
    // The DPO files for any user of the tenant; without a subject, for themselves.
    return named ?? caller.userId;
  }

  async #find(caller: UserCaller, requestId: string): Promise<PrivacyRequestRow> {
    const row = await this.orm.em.fork().findOne(PrivacyRequest, { id: requestId, tenant: caller.tenantId });
    if (row === null) throw notFound('privacy request');
    return row;
  }

  async #move(
    caller: UserCaller,
    row: PrivacyRequestRow,
    status: Status,
    extra: Partial<Pick<PrivacyRequestRow, 'identityVerification' | 'certificate'>> = {},
  ): Promise<PrivacyRequestRow> {
    const em = this.orm.em.fork();
    const fresh = await em.findOneOrFail(PrivacyRequest, { id: row.id, tenant: caller.tenantId });
    fresh.status = status;
    fresh.history = [
      ...fresh.history,
      { status, at: this.clock.now().toISOString(), by: userActor(caller.userId) },
    ];
    if (extra.identityVerification !== undefined) fresh.identityVerification = extra.identityVerification;
    if (extra.certificate !== undefined) fresh.certificate = extra.certificate;
    await em.flush();
    return fresh;
  }

  async #audit(
    caller: UserCaller,
    action: AuditAction,
    row: PrivacyRequestRow,
    details: Record<string, string | undefined>,
  ): Promise<void> {
    const sealed = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    await this.audit.record({
      actor: userActor(caller.userId),
      tenantId: caller.tenantId,
      action,
      targets: [row.id, row.subjectUserId],
      details: { kind: row.kind, status: row.status, ...sealed },
      subjectId: row.subjectUserId,
    });
  }

  async #decide<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#deciding.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
