// The one MikroORM configuration: the server, the admin CLI, the migration script and the tests
// all build it here, so they cannot disagree on entities, migrations or pragmas.
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/sqlite';
import { join } from 'node:path';
import { ENTITIES } from './entities.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { applyPragmas, type RawConnection } from './sqlite-pragmas.ts';

export const DATABASE_FILE = 'enclave.db';

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export interface OrmOptionsInput {
  readonly file: string;
  /** Where migration:create writes new files (only the script sets it). */
  readonly migrationsDir?: string;
}

export function ormOptions(input: OrmOptionsInput): Options {
  return defineConfig({
    dbName: input.file,
    entities: [...ENTITIES],
    extensions: [Migrator],
    // The ORM must never touch the schema on its own: migrations are the only way it changes.
    ensureDatabase: false,
    allowGlobalContext: false,
    debug: false,
    onCreateConnection: (connection) => applyPragmas(connection as RawConnection),
    migrations: {
      migrationsList: [...MIGRATIONS],
      // Without a snapshot the diff is taken against the migrated database itself, which is
      // exactly what the drift test and migration:create compare.
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      path: input.migrationsDir ?? join(import.meta.dirname, 'migrations'),
      silent: true,
    },
  });
}
