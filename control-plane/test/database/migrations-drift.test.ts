// CI fails when the entities and the checked-in migrations disagree: every migration is applied
// to a fresh SQLite file, then MikroORM's schema diff against the entities must be empty.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/database/database-opener.ts';
import { MIGRATIONS } from '../../src/database/migrations/index.ts';

it('the migrations build exactly the schema the entities describe (run npm run migration:create)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'enclave-drift-'));
  const { orm, applied } = await openDatabase(dir);
  try {
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(
      diff.trim(),
      'The entities differ from what the migrations create: run `npm run migration:create -w @enclave/control-plane -- --name <what-changed>` and commit the new migration.',
    ).toBe('');
  } finally {
    await orm.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('lists migrations in order, each once', () => {
  const names = MIGRATIONS.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual(names);
  for (const migration of MIGRATIONS) expect(migration.class.name).toBe(migration.name);
});
