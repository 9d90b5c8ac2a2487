// The key hierarchy for the whole application: the SQLite key store, the KeyRing opened with the
// configured master key (start-up stops here when it is missing or wrong), project DEKs, subject
// keys and the personal-data sealer, the Sealer for client text, and the `key-destroyed` hook.
// Global: assets, jobs, the agent routes and every read of a person need a key.
import { CertificateAuthority } from '@enclave/certs';
import { KeyRing } from '@enclave/crypto';
import { Global, Module } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { CaModule } from '../ca/ca.module.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { Sealer } from '../jobs/sealer.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { DestroyedKeysJournal, journalFilePath } from './destroyed-keys.journal.ts';
import {
  JOURNAL_RECONCILIATION,
  reconcileDestroyedKeys,
  reconciliationFields,
  type JournalReconciliation,
} from './journal-reconciliation.ts';
import { KeyEvents } from './key-events.ts';
import { KeyRingSealer } from './key-ring.sealer.ts';
import { openKeyRing } from './master-key.loader.ts';
import { PersonalDataSealer } from './personal-data.sealer.ts';
import { ProjectKeys } from './project-keys.service.ts';
import { SqliteKeyStore } from './sqlite-key-store.ts';
import { SubjectKeys } from './subject-keys.service.ts';
import { UnsealedUsersBackfill } from './unsealed-users.backfill.ts';

@Global()
@Module({
  imports: [CaModule],
  providers: [
    KeyEvents,
    {
      provide: DestroyedKeysJournal,
      inject: [CONTROL_PLANE_CONFIG],
      useFactory: (config: ControlPlaneConfig) =>
        DestroyedKeysJournal.open(journalFilePath(config.ENCLAVE_DATA_DIR)),
    },
    {
      provide: SqliteKeyStore,
      inject: [MikroORM, DestroyedKeysJournal],
      useFactory: (orm: MikroORM, journal: DestroyedKeysJournal) => new SqliteKeyStore(orm, journal),
    },
    {
      provide: JOURNAL_RECONCILIATION,
      // The CA only orders start-up, as for the KeyRing below.
      inject: [SqliteKeyStore, DestroyedKeysJournal, MikroORM, AppLogger, CertificateAuthority],
      useFactory: async (
        store: SqliteKeyStore,
        journal: DestroyedKeysJournal,
        orm: MikroORM,
        log: AppLogger,
      ): Promise<JournalReconciliation> => {
        if (journal.tornBytes > 0) {
          log.write('warn', 'Destroyed-keys journal: a line torn by a crash was cut off', {
            file: journal.file,
            bytes: journal.tornBytes,
          });
        }
        const result = await reconcileDestroyedKeys(store, journal, orm);
        const restored = result.reapplied.length > 0;
        log.write(
          restored ? 'warn' : 'info',
          restored
            ? 'Destroyed-keys journal re-applied: a restored key backup held destroyed keys; destroyed again'
            : 'Destroyed-keys journal checked',
          { file: journal.file, ...reconciliationFields(result) },
        );
        return result;
      },
    },
    {
      provide: KeyRing,
      // The CA is injected only to order start-up: Nest builds modules concurrently, and the
      // key store's first write must not race a CA failure that is closing the application.
      // JOURNAL_RECONCILIATION orders it after the journal was re-applied.
      inject: [
        CONTROL_PLANE_CONFIG,
        SqliteKeyStore,
        KeyEvents,
        AppLogger,
        CertificateAuthority,
        JOURNAL_RECONCILIATION,
      ],
      useFactory: async (
        config: ControlPlaneConfig,
        store: SqliteKeyStore,
        events: KeyEvents,
        log: AppLogger,
      ): Promise<KeyRing> => {
        const ring = await openKeyRing(config, store, {
          onKeyDestroyed: (entry) => events.keyDestroyed(entry),
        });
        log.write('info', 'Key store open', { masterKeyId: ring.masterKeyId });
        return ring;
      },
    },
    ProjectKeys,
    SubjectKeys,
    PersonalDataSealer,
    UnsealedUsersBackfill,
    KeyRingSealer,
    { provide: Sealer, useExisting: KeyRingSealer },
  ],
  exports: [
    KeyRing,
    KeyEvents,
    ProjectKeys,
    SubjectKeys,
    PersonalDataSealer,
    Sealer,
    SqliteKeyStore,
    JOURNAL_RECONCILIATION,
  ],
})
export class KeysModule {}
