// API tokens in SQLite, looked up by the hash of their secret. Listing and revoking take the
// caller's TenantScope and user, so one user never sees or ends another's tokens.
import type { Role } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { ApiToken, type ApiTokenRow } from '../database/entities/api-token.entity.ts';
import type { TenantScope } from '../database/tenant-scope.ts';

export interface NewApiToken {
  readonly id: string;
  readonly secretHash: string;
  readonly name: string;
  readonly userId: string;
  readonly role: Role;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

@Injectable()
export class ApiTokensRepository {
  constructor(private readonly em: EntityManager) {}

  async create(scope: TenantScope, token: NewApiToken): Promise<ApiTokenRow> {
    const { userId, ...rest } = token;
    const row = this.em.create(ApiToken, { ...rest, user: userId, tenant: scope.tenantId });
    await this.em.flush();
    return row;
  }

  /** For authentication: the token with its user, whatever the tenant (the token decides it). */
  findBySecretHash(secretHash: string): Promise<ApiTokenRow | null> {
    return this.em.findOne(ApiToken, { secretHash }, { populate: ['user'] });
  }

  listOf(scope: TenantScope, userId: string): Promise<ApiTokenRow[]> {
    return this.em.find(
      ApiToken,
      { tenant: scope.tenantId, user: userId, revokedAt: null },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  /** True when the caller's own live token was revoked; false when there is none such. */
  async revoke(scope: TenantScope, userId: string, tokenId: string, at: Date): Promise<boolean> {
    const changed = await this.em.nativeUpdate(
      ApiToken,
      { id: tokenId, tenant: scope.tenantId, user: userId, revokedAt: null },
      { revokedAt: at },
    );
    return changed === 1;
  }

  async touch(token: ApiTokenRow, at: Date): Promise<void> {
    token.lastUsedAt = at;
    await this.em.flush();
  }
}
