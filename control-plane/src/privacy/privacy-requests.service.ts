// Data-subject requests (privacy policy §10, PDPL): filing, the DPO's queue with deadlines,
// identity verification, approval (which carries the right out: export, erasure, restriction)
// and rejection. Every state change is appended to the request's history and recorded in the
// audit log (notes only sealed). Tenant-scoped: another tenant's request id is 404.
import {
  AuditAction,
  CancelReason,
  NodeErasureStatus,
  PrivacyRequestKind,
  PrivacyRequestStatus,
  Role,
  type CreatePrivacyRequest,
  type ErasureCertificate,
  type MyPrivacyRequest,
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
import { NodeEraseOrder } from './node-erase-order.entity.ts';
import { PrivacyRequest, type PrivacyRequestRow } from './privacy-request.entity.ts';
import { isOpen, toMyPrivacyRequest, toPrivacyRequest } from './privacy-views.ts';
import { SubjectErasure } from './subject-erasure.service.ts';
import { SubjectExports } from './subject-export.service.ts';
import { SubjectProcessingStopper } from './subject-processing.stopper.ts';
import { SubjectRectification } from './subject-rectification.service.ts';

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
    private readonly stopper: SubjectProcessingStopper,
    private readonly rectification: SubjectRectification,
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
    const id = this.random.id();
    const subject = { tenantId: caller.tenantId, userId: subjectUserId };
    const correction =
      request.rectification !== undefined
        ? await this.rectification.seal(id, subject, request.rectification)
        : null;
    const row = em.create(PrivacyRequest, {
      id,
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
      correction,
      remindersSent: null,
    });
    await em.flush();
    await this.#audit(caller, AuditAction.PrivacyRequestCreated, row, {
      subjectUserId: request.subjectUserId,
      notes: request.notes,
      fields: correction?.fields.join(','),
    });
    return toPrivacyRequest(row, now);
  }

  async list(caller: UserCaller): Promise<{ items: PrivacyRequestDto[] }> {
    const rows = await this.orm.em
      .fork()
      .find(PrivacyRequest, { tenant: caller.tenantId }, { orderBy: { deadlineAt: 'asc', id: 'asc' } });
    const now = this.clock.now();
    const pending = await this.#pendingNodes(rows);
    return { items: rows.map((row) => toPrivacyRequest(row, now, pending.get(row.id))) };
  }

  /** The caller's own requests only (subject = caller, in the caller's tenant), newest first. */
  async listMine(caller: UserCaller): Promise<{ items: MyPrivacyRequest[] }> {
    const rows = await this.orm.em
      .fork()
      .find(
        PrivacyRequest,
        { tenant: caller.tenantId, subjectUserId: caller.userId },
        { orderBy: { createdAt: 'desc', id: 'desc' } },
      );
    const now = this.clock.now();
    return { items: rows.map((row) => toMyPrivacyRequest(row, now)) };
  }

  async get(caller: UserCaller, requestId: string): Promise<PrivacyRequestDto> {
    const row = await this.#find(caller, requestId);
    const pending = await this.#pendingNodes([row]);
    return toPrivacyRequest(row, this.clock.now(), pending.get(row.id));
  }

  /** For each completed erasure among `rows`: the nodes that have not answered its erase orders. */
  async #pendingNodes(rows: readonly PrivacyRequestRow[]): Promise<Map<string, string[]>> {
    const erasures = rows.filter((r) => r.kind === PrivacyRequestKind.Erasure && r.certificate != null);
    const out = new Map<string, string[]>(erasures.map((r) => [r.id, []]));
    if (erasures.length === 0) return out;
    const orders = await this.orm.em.fork().find(NodeEraseOrder, {
      requestId: { $in: erasures.map((r) => r.id) },
      status: NodeErasureStatus.Pending,
    });
    for (const order of orders) {
      const nodes = out.get(order.requestId);
      if (nodes !== undefined && !nodes.includes(order.nodeId)) nodes.push(order.nodeId);
    }
    for (const nodes of out.values()) nodes.sort();
    return out;
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
      const updated = await this.#move(caller, row, PrivacyRequestStatus.Rejected, {
        ...(row.correction != null ? { correction: { ...row.correction, sealed: null } } : {}),
      });
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
        // Running work first: nothing may go on reading the data whose keys are about to go.
        await this.stopper.stop(row.id, subject, CancelReason.Erasure, caller.userId);
        const certificate = await this.erasure.erase(row.id, subject, caller.userId);
        const updated = await this.#move(caller, row, PrivacyRequestStatus.Completed, {
          certificate: certificate as unknown as Record<string, unknown>,
        });
        return { request: toPrivacyRequest(updated, this.clock.now()) };
      }
      case PrivacyRequestKind.Restriction:
      case PrivacyRequestKind.Objection: {
        // In effect first, so the gate refuses new submissions; then the running ones stop.
        const updated = await this.#move(caller, row, PrivacyRequestStatus.InEffect);
        await this.stopper.stop(row.id, subject, CancelReason.Restriction, caller.userId);
        return { request: toPrivacyRequest(updated, this.clock.now()) };
      }
      case PrivacyRequestKind.Rectification: {
        // The profile fields it names are corrected and the values dropped from the request.
        // Without them (project names, job titles: corrected through their own routes) approval
        // records that the correction was made.
        const correction = row.correction ?? null;
        if (correction !== null) await this.rectification.apply(row.id, subject, correction, caller.userId);
        const updated = await this.#move(caller, row, PrivacyRequestStatus.Completed, {
          ...(correction !== null ? { correction: { ...correction, sealed: null } } : {}),
        });
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
    extra: Partial<Pick<PrivacyRequestRow, 'identityVerification' | 'certificate' | 'correction'>> = {},
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
    if (extra.correction !== undefined) fresh.correction = extra.correction;
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
