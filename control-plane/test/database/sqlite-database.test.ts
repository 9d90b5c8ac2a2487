// The SQLite file as the control plane opens it: the pragmas on every connection (read back),
// the integrity check at start-up, and a corrupt file stopping boot with a message naming it.
import type { MikroORM } from '@mikro-orm/sqlite';
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUnusableError, openDatabase } from '../../src/database/database-opener.ts';
import { Tenant } from '../../src/database/entities/tenant.entity.ts';
import { databasePath } from '../../src/database/orm-options.ts';
import { quickCheck } from '../../src/database/quick-check.ts';
import { SQLITE_PRAGMAS } from '../../src/database/sqlite-pragmas.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-db-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readPragmas(orm: MikroORM): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const pragma of SQLITE_PRAGMAS) {
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<Record<string, unknown>[]>(`pragma ${pragma.name}`);
    out[pragma.name] = Object.values(rows[0] ?? {})[0];
  }
  return out;
}

const expected = Object.fromEntries(SQLITE_PRAGMAS.map((p) => [p.name, p.expect]));

describe('pragmas', () => {
  it('are in force on the connection, and again on a new one after a reconnect', async () => {
    const { orm } = await openDatabase(dir);
    try {
      expect(await readPragmas(orm)).toEqual(expected);
      expect(expected).toEqual({
        journal_mode: 'wal',
        busy_timeout: 5000,
        foreign_keys: 1,
        secure_delete: 1,
        synchronous: 2,
      });
      await orm.reconnect();
      expect(await readPragmas(orm)).toEqual(expected);
    } finally {
      await orm.close();
    }
  });

  it('enforce foreign keys', async () => {
    const { orm } = await openDatabase(dir);
    try {
      const insert = orm.em
        .fork()
        .getConnection()
        .execute(
          "insert into `user` (id, tenant_id, password_hash, role, created_at) values ('u', 'no-such-tenant', 'h', 'producer', 0)",
        );
      await expect(insert).rejects.toThrow(/FOREIGN KEY/i);
    } finally {
      await orm.close();
    }
  });
});

describe('integrity', () => {
  it('passes quick_check on a fresh database, which start-up applies all migrations to', async () => {
    const { orm, applied } = await openDatabase(dir);
    try {
      expect(applied.length).toBeGreaterThan(0);
      expect(await quickCheck(orm)).toEqual({ ok: true, detail: 'ok' });
      expect(await orm.migrator.getPending()).toEqual([]);
    } finally {
      await orm.close();
    }
    const second = await openDatabase(dir);
    expect(second.applied).toEqual([]);
    await second.orm.close();
  });

  it('refuses a file that is not a database, naming it', async () => {
    await writeFile(databasePath(dir), 'this is not sqlite, just text that fills a page '.repeat(200));
    const failure = openDatabase(dir);
    await expect(failure).rejects.toBeInstanceOf(DatabaseUnusableError);
    await expect(openDatabase(dir)).rejects.toThrow(databasePath(dir));
  });

  it('refuses a database with a corrupt page, naming it', async () => {
    const { orm } = await openDatabase(dir);
    const em = orm.em.fork();
    for (let i = 0; i < 400; i++)
      em.create(Tenant, { id: `t-${i}`, name: `tenant ${i} ${'x'.repeat(100)}`, createdAt: new Date() });
    await em.flush();
    await orm.em.getConnection().execute('pragma wal_checkpoint(TRUNCATE)');
    await orm.close();

    const handle = await open(databasePath(dir), 'r+');
    const { size } = await handle.stat();
    await handle.write(Buffer.alloc(512, 0xa5), 0, 512, Math.floor(size / 2 / 4096) * 4096);
    await handle.close();

    const failure = await openDatabase(dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DatabaseUnusableError);
    expect(String(failure)).toContain(databasePath(dir));
    expect(String(failure)).toMatch(/integrity check|could not be checked|cannot be opened/);
  });
});
