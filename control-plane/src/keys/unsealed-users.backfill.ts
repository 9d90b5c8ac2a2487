// Seals, at start-up, the personal data of accounts made before sealing existed. The migration
// that introduced sealed columns moved their plaintext to `unsealed_user` (it cannot seal: the
// master key exists only once the key ring is open). Each row is sealed under a new subject key
// and deleted in one transaction; secure_delete overwrites the deleted plaintext in the file.
// Runs before the listeners open, so no request ever sees an unsealed account.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { UnsealedUser } from '../database/entities/unsealed-user.entity.ts';
import { User } from '../database/entities/user.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { PersonalDataSealer } from './personal-data.sealer.ts';

@Injectable()
export class UnsealedUsersBackfill implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly sealer: PersonalDataSealer,
    private readonly log: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    // Made now, not at the first sign-in: the admin CLI (another process) then finds it.
    await this.sealer.prepare();
    const sealed = await this.run();
    if (sealed > 0)
      this.log.write('info', 'Sealed the personal data of existing accounts', { accounts: sealed });
  }

  /** Seals every pending row; returns how many were sealed. */
  async run(): Promise<number> {
    const pending = await this.orm.em.fork().find(UnsealedUser, {}, { orderBy: { userId: 'asc' } });
    for (const row of pending) {
      const user = await this.orm.em.fork().findOne(User, { id: row.userId });
      // The key is made first (the key store commits on its own); a crash before the update
      // below leaves only an unused subject key, and the row is sealed again on the next start.
      const sealed =
        user !== null && user.subjectKeyId == null
          ? await this.sealer.sealNew(user.tenant.id, user.id, row)
          : undefined;
      await this.orm.em.fork().transactional(async (tx) => {
        if (sealed !== undefined) await tx.nativeUpdate(User, { id: row.userId }, { ...sealed });
        await tx.nativeDelete(UnsealedUser, { userId: row.userId });
      });
    }
    return pending.length;
  }
}
