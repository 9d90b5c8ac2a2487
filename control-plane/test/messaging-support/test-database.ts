// A MikroORM instance on a fresh SQLite file with the messaging tables (and any extra test
// entities), schema created from the entity definitions. The core's migrations own the real
// schema; these tests need only the tables.
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntitySchema } from '@mikro-orm/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGING_ENTITIES } from '../../src/messaging/messaging.entities.ts';

export interface TestDatabase {
  readonly orm: MikroORM;
  readonly file: string;
  close(): Promise<void>;
}

export async function openOrm(file: string, extra: readonly EntitySchema[] = []): Promise<MikroORM> {
  const orm = await MikroORM.init({
    dbName: file,
    entities: [...MESSAGING_ENTITIES, ...extra],
    allowGlobalContext: false,
  });
  await orm.em.getConnection().execute('pragma journal_mode = wal');
  return orm;
}

export async function createTestDatabase(extra: readonly EntitySchema[] = []): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'enclave-messaging-db-'));
  const file = join(dir, 'control-plane.sqlite');
  const orm = await openOrm(file, extra);
  await orm.schema.create();
  return {
    orm,
    file,
    async close() {
      await orm.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
