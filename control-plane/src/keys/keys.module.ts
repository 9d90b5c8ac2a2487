// The key hierarchy for the whole application: the SQLite key store, the KeyRing opened with the
// configured master key (start-up stops here when it is missing or wrong), project DEKs, the
// Sealer for client text, and the `key-destroyed` hook. Global: assets, jobs and the agent
// routes all need a project's key.
import { CertificateAuthority } from '@enclave/certs';
import { KeyRing } from '@enclave/crypto';
import { Global, Module } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { CaModule } from '../ca/ca.module.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { Sealer } from '../jobs/sealer.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { KeyEvents } from './key-events.ts';
import { KeyRingSealer } from './key-ring.sealer.ts';
import { openKeyRing } from './master-key.loader.ts';
import { ProjectKeys } from './project-keys.service.ts';
import { SqliteKeyStore } from './sqlite-key-store.ts';

@Global()
@Module({
  imports: [CaModule],
  providers: [
    KeyEvents,
    { provide: SqliteKeyStore, inject: [MikroORM], useFactory: (orm: MikroORM) => new SqliteKeyStore(orm) },
    {
      provide: KeyRing,
      // The CA is injected only to order start-up: Nest builds modules concurrently, and the
      // key store's first write must not race a CA failure that is closing the application.
      inject: [CONTROL_PLANE_CONFIG, SqliteKeyStore, KeyEvents, AppLogger, CertificateAuthority],
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
    KeyRingSealer,
    { provide: Sealer, useExisting: KeyRingSealer },
  ],
  exports: [KeyRing, KeyEvents, ProjectKeys, Sealer, SqliteKeyStore],
})
export class KeysModule {}
