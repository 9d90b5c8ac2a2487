// API tokens for the CLI: `enc_pat_` + 256 random bits. The secret is returned once; only its
// SHA-256 is kept. A token acts with its user's role and stops working when the user is
// disabled, the role changes, it expires or it is revoked.
import { API_TOKEN_PREFIX, type ApiTokenSummary, type CreatedApiToken } from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import type { ApiTokenRow } from '../database/entities/api-token.entity.ts';
import { ApiTokensRepository } from './api-tokens.repository.ts';
import type { UserCaller } from './caller.ts';
import { secretHash } from './secret-hash.ts';

const DAY_MS = 86_400_000;
const TOKEN_FORMAT = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
/** lastUsedAt is written at most this often. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiTokenService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly clock: Clock,
    private readonly random: Randomness,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async create(caller: UserCaller, name: string, expiresInDays?: number): Promise<CreatedApiToken> {
    const days = Math.min(
      expiresInDays ?? this.config.ENCLAVE_API_TOKEN_DEFAULT_DAYS,
      this.config.ENCLAVE_API_TOKEN_MAX_DAYS,
    );
    const token = API_TOKEN_PREFIX + this.random.bytes(32).toString('base64url');
    const now = this.clock.now();
    const row = await this.tokens.create(caller.scope, {
      id: this.random.id(),
      secretHash: secretHash(token),
      name,
      userId: caller.userId,
      role: caller.role,
      createdAt: now,
      expiresAt: new Date(now.getTime() + days * DAY_MS),
    });
    return { ...summary(row), token };
  }

  async list(caller: UserCaller): Promise<{ items: ApiTokenSummary[] }> {
    return { items: (await this.tokens.listOf(caller.scope, caller.userId)).map(summary) };
  }

  async revoke(caller: UserCaller, tokenId: string): Promise<void> {
    if (!(await this.tokens.revoke(caller.scope, caller.userId, tokenId, this.clock.now()))) {
      throw notFound('API token of yours');
    }
  }

  /** The live token a bearer value names, or null (wrong shape, unknown, expired, revoked, stale role). */
  async resolve(bearer: string): Promise<ApiTokenRow | null> {
    if (!TOKEN_FORMAT.test(bearer)) return null;
    const token = await this.tokens.findBySecretHash(secretHash(bearer));
    const now = this.clock.now();
    if (token === null || token.revokedAt != null || token.expiresAt.getTime() <= now.getTime()) return null;
    if (token.user.role !== token.role) return null;
    if (token.lastUsedAt == null || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.tokens.touch(token, now);
    }
    return token;
  }
}

function summary(row: ApiTokenRow): ApiTokenSummary {
  return {
    tokenId: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
