import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFileKeyStore, KeyRing, MasterKey, decryptBuffer, encryptBuffer } from '../src/index.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-keystore-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonFileKeyStore', () => {
  it('persists wrapped keys (0600 file) across a restart with the key file', async () => {
    const keyFile = join(dir, 'master.key');
    const path = join(dir, 'keys.json');
    const master = await MasterKey.createKeyFile(keyFile);
    const ring = await KeyRing.open({ store: await JsonFileKeyStore.open(path), master });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const file = encryptBuffer(Buffer.from('hello'), { key: dek });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const restarted = await KeyRing.open({
      store: await JsonFileKeyStore.open(path),
      master: await MasterKey.fromKeyFile(keyFile),
    });
    expect((await decryptBuffer(file, { resolveKey: restarted.resolveKey })).toString()).toBe('hello');
  });

  it('a backup file copied back is re-shredded by the journal kept apart', async () => {
    const path = join(dir, 'keys.json');
    const master = MasterKey.generate();
    const ring = await KeyRing.open({ store: await JsonFileKeyStore.open(path), master });
    await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const file = encryptBuffer(Buffer.from('client footage'), { key: dek });
    await copyFile(path, join(dir, 'keys.backup.json'));
    await ring.destroyKey(dek.keyId, 'erasure');
    const journal = await ring.destroyedJournal();

    await copyFile(join(dir, 'keys.backup.json'), path);
    const restored = await KeyRing.open({ store: await JsonFileKeyStore.open(path), master });
    await restored.applyDestroyedJournal(journal);
    const reopened = await KeyRing.open({ store: await JsonFileKeyStore.open(path), master });
    await expect(decryptBuffer(file, { resolveKey: reopened.resolveKey })).rejects.toMatchObject({
      code: 'KEY_DESTROYED',
    });
    const onDisk = JSON.parse(await readFile(path, 'utf8')) as { keys: { keyId: string }[] };
    expect(onDisk.keys.map((k) => k.keyId)).not.toContain(dek.keyId);
  });

  it('a corrupt file is KEY_STORE_CORRUPT, not an empty store', async () => {
    const path = join(dir, 'keys.json');
    await writeFile(path, '{"version": 1, "keys": [ {"keyId": "dek_x"} ]}');
    await expect(JsonFileKeyStore.open(path)).rejects.toMatchObject({ code: 'KEY_STORE_CORRUPT' });
    await writeFile(path, 'not json');
    await expect(JsonFileKeyStore.open(path)).rejects.toMatchObject({ code: 'KEY_STORE_CORRUPT' });
  });

  it('a commit that fails leaves the store as it was', async () => {
    const store = await JsonFileKeyStore.open(join(dir, 'missing-dir', 'keys.json'));
    await expect(store.commit({ meta: { masterKeyId: 'mk_x' } })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.meta()).toBeUndefined();
  });
});
