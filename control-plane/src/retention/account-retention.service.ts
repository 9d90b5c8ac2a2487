// Closing accounts and keeping them (privacy policy §6: account data is kept while the account
// is active plus ENCLAVE_ACCOUNT_RETENTION_DAYS after closure). Closing refuses sign-in from
// then on (the account is disabled, its sessions deleted and API tokens revoked) and starts
// the clock; the retention sweep shreds the personal data when it runs out (RetentionSweeper).
// A legal hold on the account stops that. Each change is audited in its transaction; reasons
// go only into the entry's sealed details.
import { AuditAction, type AccountRetention } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { ApiToken } from '../database/entities/api-token.entity.ts';
import { Session } from '../database/entities/session.entity.ts';
import { User, type UserRow } from '../database/entities/user.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { accountExpiresAt } from './retention-rules.ts';

@Injectable()
export class AccountRetentionService {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async view(caller: UserCaller, userId: string): Promise<AccountRetention> {
    return this.#view(await findAccount(this.orm.em.fork(), caller, userId));
  }

  /** An it-admin or the DPO closes an account of their tenant (never their own). */
  close(caller: UserCaller, userId: string, reason: string): Promise<AccountRetention> {
    return this.#tx(async (em) => {
      const user = await findAccount(em, caller, userId);
      if (user.id === caller.userId) {
        throw conflict('You cannot close your own account; ask another administrator or the DPO.');
      }
      return this.#close(em, caller, user, reason);
    });
  }

  /** A client user closes their own account; the session that asked ends with it. */
  closeOwn(caller: UserCaller, reason: string | undefined): Promise<AccountRetention> {
    return this.#tx(async (em) => {
      const user = await findAccount(em, caller, caller.userId);
      return this.#close(em, caller, user, reason ?? 'closed by the account holder');
    });
  }

  async #close(
    em: EntityManager,
    caller: UserCaller,
    user: UserRow,
    reason: string,
  ): Promise<AccountRetention> {
    if (user.erasedAt != null) throw conflict('This account was already erased; there is nothing to close.');
    if (user.closedAt != null) {
      throw conflict(`This account was already closed on ${user.closedAt.toISOString()}.`);
    }
    const now = this.clock.now();
    user.closedAt = now;
    user.disabled = true;
    await em.flush();
    await em.nativeDelete(Session, { user: user.id });
    await em.nativeUpdate(ApiToken, { user: user.id, revokedAt: null }, { revokedAt: now });
    await this.#record(em, caller, AuditAction.AccountClosed, user.id, reason);
    this.log.write('info', 'Account closed', {
      tenantId: caller.tenantId,
      userId: user.id,
      by: caller.userId === user.id ? 'self' : 'staff',
    });
    return this.#view(user);
  }

  placeHold(caller: UserCaller, userId: string, reason: string): Promise<AccountRetention> {
    return this.#tx(async (em) => {
      const user = await findAccount(em, caller, userId);
      if (user.legalHoldAt != null) throw conflict('This account already has an active legal hold.');
      if (user.erasedAt != null) {
        throw conflict("This account's personal data was already shredded; a hold can keep nothing.");
      }
      user.legalHoldAt = this.clock.now();
      await em.flush();
      await this.#record(em, caller, AuditAction.AccountLegalHoldPlaced, user.id, reason);
      return this.#view(user);
    });
  }

  releaseHold(caller: UserCaller, userId: string, reason: string): Promise<AccountRetention> {
    return this.#tx(async (em) => {
      const user = await findAccount(em, caller, userId);
      if (user.legalHoldAt == null) throw conflict('This account has no active legal hold to release.');
      user.legalHoldAt = null;
      await em.flush();
      await this.#record(em, caller, AuditAction.AccountLegalHoldReleased, user.id, reason);
      return this.#view(user);
    });
  }

  #record(em: EntityManager, caller: UserCaller, action: AuditAction, userId: string, reason: string) {
    return this.audit.record(
      {
        actor: userActor(caller.userId),
        tenantId: caller.tenantId,
        action,
        targets: [userId],
        details: { reason },
      },
      { em },
    );
  }

  #view(user: UserRow): AccountRetention {
    const closedAt = user.closedAt ?? null;
    return {
      userId: user.id,
      closedAt: closedAt?.toISOString() ?? null,
      expiresAt:
        accountExpiresAt(closedAt, this.config.ENCLAVE_ACCOUNT_RETENTION_DAYS)?.toISOString() ?? null,
      legalHold: user.legalHoldAt != null,
      erasedAt: user.erasedAt?.toISOString() ?? null,
    };
  }

  #tx<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }
}

async function findAccount(em: EntityManager, caller: UserCaller, userId: string): Promise<UserRow> {
  const row = await em.findOne(User, { id: userId, tenant: caller.scope.tenantId });
  if (row === null) throw notFound('user');
  return row;
}
