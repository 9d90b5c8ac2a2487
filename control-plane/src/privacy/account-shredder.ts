// Crypto-shredding one account's personal data, the part of an erasure that concerns the
// account itself. Shared by the data-subject erasure (SubjectErasure) and the retention of
// closed accounts (RetentionSweeper), so both leave the same pseudonymous row behind: the
// subject key is destroyed (journaled like any key, so a restored backup is shredded again at
// start-up) and the sealed email and name stay as unreadable ciphertext; the email's blind
// index goes (the index key lives on and would still match the old address); the password is
// made unusable; sessions are deleted and API tokens revoked.
import type { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ApiToken } from '../database/entities/api-token.entity.ts';
import { Session } from '../database/entities/session.entity.ts';
import { User } from '../database/entities/user.entity.ts';
import { SubjectKeys } from '../keys/subject-keys.service.ts';

export interface AccountRef {
  readonly tenantId: string;
  readonly userId: string;
}

@Injectable()
export class AccountShredder {
  constructor(private readonly subjectKeys: SubjectKeys) {}

  /**
   * First, before any row changes: once the key is gone the sealed columns are noise in every
   * copy, whatever happens next. Returns the destroyed key ids (none for a row never sealed).
   */
  async destroyKey(subjectKeyId: string | null | undefined, reason: string): Promise<string[]> {
    if (subjectKeyId == null) return [];
    const entries = await this.subjectKeys.destroy(subjectKeyId, reason);
    return entries.map((e) => e.keyId);
  }

  /** Then, in the caller's transaction: the row becomes a pseudonym that can never sign in. */
  async scrub(tx: EntityManager, account: AccountRef, at: Date): Promise<void> {
    await tx.nativeUpdate(
      User,
      { id: account.userId, tenant: account.tenantId },
      {
        emailIndex: null,
        // Not a scrypt hash: no password can ever match it.
        passwordHash: 'erased',
        disabled: true,
        failedLogins: 0,
        lockedUntil: null,
        erasedAt: at,
      },
    );
    await tx.nativeDelete(Session, { user: account.userId });
    await tx.nativeUpdate(ApiToken, { user: account.userId, revokedAt: null }, { revokedAt: at });
  }
}
