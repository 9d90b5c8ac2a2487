// Accounts in SQLite. Lookups by email and by id are tenant-free on purpose: they are how the
// authentication layer finds out which tenant a caller belongs to. Everything else takes a
// TenantScope. Email and name arrive already sealed (keys/personal-data.sealer.ts); an email is
// found by its blind index, never by its value.
import type { Role } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { User, type UserRow } from '../database/entities/user.entity.ts';
import type { TenantScope } from '../database/tenant-scope.ts';
import type { SealedPerson } from '../keys/personal-data.sealer.ts';

export interface NewUser extends SealedPerson {
  readonly id: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: Date;
  /** When the holder attested being 18 or older (privacy policy §11). */
  readonly adultAttestedAt?: Date | null;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly em: EntityManager) {}

  /** For sign-in only (by the email's blind index): loads the password hash, which other queries leave out. */
  findForSignIn(emailIndex: string): Promise<UserRow | null> {
    return this.em.findOne(User, { emailIndex }, { populate: ['passwordHash'] });
  }

  /** Whether an account already has this email (by its blind index). */
  async emailTaken(emailIndex: string): Promise<boolean> {
    return (await this.em.count(User, { emailIndex })) > 0;
  }

  findById(userId: string): Promise<UserRow | null> {
    return this.em.findOne(User, { id: userId });
  }

  async create(scope: TenantScope, user: NewUser): Promise<UserRow> {
    const row = this.em.create(User, { ...user, tenant: scope.tenantId, failedLogins: 0, disabled: false });
    await this.em.flush();
    return row;
  }

  /**
   * Counts one failed sign-in and returns the new count. One atomic UPDATE, so failures racing
   * in parallel are all counted.
   */
  async countFailure(userId: string): Promise<number> {
    const rows = await this.em
      .getConnection()
      .execute<{ failed_logins: number }[]>(
        'update `user` set `failed_logins` = `failed_logins` + 1 where `id` = ? returning `failed_logins`',
        [userId],
      );
    return rows[0]?.failed_logins ?? 0;
  }

  async lockUntil(userId: string, until: Date): Promise<void> {
    await this.em.nativeUpdate(User, { id: userId }, { lockedUntil: until });
  }

  /**
   * Replaces a person's sealed email and name and the email's blind index (a rectification,
   * privacy/subject-rectification.service.ts); the caller seals them under the subject key.
   */
  async replacePerson(
    userId: string,
    person: Pick<SealedPerson, 'emailIndex' | 'emailSealed' | 'displayNameSealed'>,
  ): Promise<void> {
    await this.em.fork().nativeUpdate(User, { id: userId }, { ...person });
  }

  async recordSuccess(user: UserRow): Promise<void> {
    user.failedLogins = 0;
    user.lockedUntil = null;
    await this.em.flush();
  }
}
