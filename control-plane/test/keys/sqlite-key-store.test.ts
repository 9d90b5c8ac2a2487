// crypto's KeyStore on SQLite (real file, real migrations): the expectations crypto's own store
// tests hold — persistence across a restart with the same master key, refusal of another master
// key, destruction journaled and winning over restored material, all-or-nothing commits — plus
// secure_delete on the connection that deletes wrapped keys.
import {
  KeyRing,
  MasterKey,
  decryptBuffer,
  encryptBuffer,
  exportDataKey,
  type WrappedKeyRecord,
} from '@enclave/crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/database/database-opener.ts';
import { SqliteKeyStore } from '../../src/keys/sqlite-key-store.ts';

let dir: string;
const open: MikroORM[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-sqlite-keys-'));
});
afterEach(async () => {
  for (const orm of open.splice(0)) await orm.close();
  await rm(dir, { recursive: true, force: true });
});

async function store(): Promise<SqliteKeyStore> {
  const { orm } = await openDatabase(join(dir, 'data'));
  open.push(orm);
  return new SqliteKeyStore(orm);
}

describe('SqliteKeyStore', () => {
  it('persists wrapped keys across a restart; only the master key that sealed it opens it', async () => {
    const master = MasterKey.generate();
    const ring = await KeyRing.open({ store: await store(), master });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const file = encryptBuffer(Buffer.from('hello'), { key: dek });
    await open.pop()!.close();

    const restarted = await KeyRing.open({ store: await store(), master });
    expect((await decryptBuffer(file, { resolveKey: restarted.resolveKey })).toString()).toBe('hello');
    await expect(KeyRing.open({ store: await store(), master: MasterKey.generate() })).rejects.toMatchObject({
      code: 'MASTER_KEY_WRONG',
    });
  });

  it('destruction deletes the row, journals it, and the journal wins over restored material', async () => {
    const keys = await store();
    const master = MasterKey.generate();
    const ring = await KeyRing.open({ store: keys, master });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const file = encryptBuffer(Buffer.from('client footage'), { key: dek });
    const backup = (await keys.get(dek.keyId)) as WrappedKeyRecord;

    const entries = await ring.destroyKey(dek.keyId, 'erasure');
    expect(entries).toMatchObject([
      { keyId: dek.keyId, kind: 'dek', tenantId: 'tenant-a', reason: 'erasure' },
    ]);
    expect(await keys.get(dek.keyId)).toBeUndefined();
    expect(await keys.journal()).toEqual(entries);

    // A backup's row put back: still destroyed (journal first), and re-applying the journal deletes it.
    await keys.commit({ put: [backup] });
    await expect(decryptBuffer(file, { resolveKey: ring.resolveKey })).rejects.toMatchObject({
      code: 'KEY_DESTROYED',
    });
    expect(await ring.applyDestroyedJournal(await keys.journal())).toEqual([dek.keyId]);
    expect(await keys.get(dek.keyId)).toBeUndefined();
    expect(await ring.destroyKey(dek.keyId, 'again')).toEqual([]);
    expect(await keys.journal()).toHaveLength(1);
  });

  it('destroying a KEK destroys its children, in journal order', async () => {
    const keys = await store();
    const ring = await KeyRing.open({ store: keys, master: MasterKey.generate() });
    const kek = await ring.createTenantKek('tenant-a');
    const a = await ring.createProjectDek('tenant-a');
    const b = await ring.createProjectDek('tenant-a');
    await ring.destroyKey(kek, 'tenant off-boarded');
    expect((await keys.journal()).map((e) => e.keyId).sort()).toEqual([kek, a.keyId, b.keyId].sort());
    expect(await keys.find({ tenantId: 'tenant-a' })).toEqual([]);
  });

  it('a commit that fails leaves the store as it was', async () => {
    const keys = await store();
    const ring = await KeyRing.open({ store: keys, master: MasterKey.generate() });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const record = (await keys.get(dek.keyId))!;
    const before = await keys.find({});
    await expect(
      keys.commit({
        remove: [dek.keyId],
        destroyed: [
          { keyId: 'x', kind: 'dek', tenantId: 'tenant-a', destroyedAt: 'not a time', reason: 'r' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'KEY_STORE_CORRUPT' });
    await expect(
      keys.commit({
        remove: [dek.keyId],
        put: [{ ...record, keyId: 'dek_other', wrapped: { ...record.wrapped, keyId: 'nope' } }],
      }),
    ).rejects.toMatchObject({ code: 'KEY_STORE_CORRUPT' });
    expect(await keys.find({})).toEqual(before);
    expect(await keys.journal()).toEqual([]);
  });

  it('runs with secure_delete on: raw key bytes never reach the file, a destroyed wrapped key is overwritten', async () => {
    const keys = await store();
    const orm = open[0]!;
    const connection = orm.em.getConnection();
    const [row] = await connection.execute<{ secure_delete: number }[]>('pragma secure_delete');
    expect(row?.secure_delete).toBe(1);
    const ring = await KeyRing.open({ store: keys, master: MasterKey.generate() });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const raw = exportDataKey(dek);
    const wrapped = Buffer.from((await keys.get(dek.keyId))!.wrapped.ct);
    const fileBytes = async (): Promise<Buffer> => {
      await connection.execute('pragma wal_checkpoint(TRUNCATE)');
      return readFile(join(dir, 'data', 'enclave.db'));
    };
    const before = await fileBytes();
    expect(before.includes(wrapped)).toBe(true);
    expect(before.includes(raw)).toBe(false);

    await ring.destroyKey(dek.keyId, 'erasure');
    expect((await fileBytes()).includes(wrapped)).toBe(false);
  });
});
