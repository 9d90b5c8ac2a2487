// The database for the whole application: one MikroORM over the SQLite file, opened, checked
// and migrated before any provider can use it. Inject `MikroORM` or `EntityManager` (both from
// @mikro-orm/sqlite); inside a request the EntityManager resolves to that request's fork.
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/sqlite';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { openDatabase } from './database-opener.ts';
import { IntegrityService } from './integrity.service.ts';

@Global()
@Module({
  providers: [
    {
      provide: MikroORM,
      inject: [CONTROL_PLANE_CONFIG, AppLogger],
      useFactory: async (config: ControlPlaneConfig, log: AppLogger): Promise<MikroORM> => {
        const db = await openDatabase(config.ENCLAVE_DATA_DIR);
        log.write('info', 'Database ready', { file: db.file, migrationsApplied: db.applied });
        return db.orm;
      },
    },
    { provide: EntityManager, inject: [MikroORM], useFactory: (orm: MikroORM) => orm.em },
    IntegrityService,
  ],
  exports: [MikroORM, EntityManager, IntegrityService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}
