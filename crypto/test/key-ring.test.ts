import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InMemoryKeyStore,
  KeyRing,
  MasterKey,
  decryptBuffer,
  decryptFieldText,
  digestJournal,
  encryptBuffer,
  encryptField,
  type DestroyedKeyEntry,
  type KeyStore,
  type WrappedKeyRecord,
} from '../src/index.ts';
import { expectRejection } from './support/expectations.ts';

const frozen = () => new Date('2026-03-01T12:00:00.000Z');

async function newRing(store: KeyStore = new InMemoryKeyStore(), master = MasterKey.generate()) {
  const audit: DestroyedKeyEntry[] = [];
  const ring = await KeyRing.open({
    store,
    master,
    clock: frozen,
    onKeyDestroyed: (e) => void audit.push(e),
  });
  return { ring, store, master, audit };
}

/** Some data under a fresh DEK and a subject key, to prove it stays readable (or not). */
async function withData(ring: KeyRing, tenantId = 'tenant-a') {
  const dek = await ring.createProjectDek(tenantId);
  const subject = await ring.createSubjectKey(tenantId);
  const plaintext = randomBytes(200_000);
  return {
    dek,
    subject,
    plaintext,
    file: encryptBuffer(plaintext, { key: dek, chunkSize: 65536 }),
    field: encryptField(subject, 'Ada Lovelace', 'subject/s1/name'),
  };
}

async function readable(ring: KeyRing, data: Awaited<ReturnType<typeof withData>>) {
  const file = await decryptBuffer(data.file, { resolveKey: ring.resolveKey });
  const subject = await ring.getDataKey(data.subject.keyId);
  return (
    file.equals(data.plaintext) && decryptFieldText(subject, data.field, 'subject/s1/name') === 'Ada Lovelace'
  );
}

describe('KeyRing: start-up', () => {
  it('seals a fresh store to the master key and refuses another master key by name', async () => {
    const { store, master } = await newRing();
    expect(await store.meta()).toEqual({ masterKeyId: master.keyId });
    const other = MasterKey.generate();
    await expectRejection(
      KeyRing.open({ store, master: other }),
      'MASTER_KEY_WRONG',
      `sealed with master key ${master.keyId}`,
    );
    await expectRejection(
      KeyRing.open({ store, master: MasterKey.fromBytes(Buffer.alloc(32)) }),
      'MASTER_KEY_WRONG',
    );
  });
});

describe('KeyRing: the hierarchy', () => {
  it('creates tenant KEKs, DEKs, subject and index keys with kind-prefixed ids', async () => {
    const { ring, store } = await newRing();
    const kekId = await ring.createTenantKek('tenant-a');
    const dek = await ring.createProjectDek('tenant-a');
    const subject = await ring.createSubjectKey('tenant-a');
    const index = await ring.createIndexKey('tenant-a');
    expect(kekId).toMatch(/^kek_[a-z2-7]{26}$/);
    expect([dek.keyId, subject.keyId, index.keyId].map((id) => id.slice(0, 4))).toEqual([
      'dek_',
      'sub_',
      'idx_',
    ]);
    const record = (await store.get(dek.keyId)) as WrappedKeyRecord;
    expect(record).toMatchObject({
      kind: 'dek',
      tenantId: 'tenant-a',
      parentId: kekId,
      createdAt: frozen().toISOString(),
    });
    expect(record.wrapped.keyId).toBe(kekId);
  });

  it('getDataKey returns the same key material the creator got', async () => {
    const { ring } = await newRing();
    await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    expect(await readable(ring, data)).toBe(true);
  });

  it('refuses a second KEK, a DEK without a KEK, a KEK as a data key, and unknown ids', async () => {
    const { ring } = await newRing();
    const kekId = await ring.createTenantKek('tenant-a');
    await expect(ring.createTenantKek('tenant-a')).rejects.toMatchObject({ code: 'KEY_EXISTS' });
    await expect(ring.createProjectDek('tenant-b')).rejects.toMatchObject({ code: 'KEY_UNKNOWN' });
    await expect(ring.getDataKey(kekId)).rejects.toMatchObject({ code: 'KEY_INVALID' });
    await expect(ring.getDataKey('dek_nothere')).rejects.toMatchObject({ code: 'KEY_UNKNOWN' });
    await expect(ring.createTenantKek('bad tenant/id')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a tampered or relabelled wrapped key fails to unwrap (KEY_UNWRAP_FAILED)', async () => {
    const { ring, store } = await newRing();
    await ring.createTenantKek('tenant-a');
    const a = await ring.createProjectDek('tenant-a');
    const b = await ring.createProjectDek('tenant-a');
    const recordA = (await store.get(a.keyId)) as WrappedKeyRecord;
    const recordB = (await store.get(b.keyId)) as WrappedKeyRecord;
    // b's wrapped bytes under a's label: the AAD binds the key id.
    await store.commit({ put: [{ ...recordA, wrapped: recordB.wrapped }] });
    await expect(ring.getDataKey(a.keyId)).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    // a DEK relabelled as a subject key of the same tenant: the AAD binds the kind.
    await store.commit({ put: [{ ...recordB, kind: 'subject' }] });
    await expect(ring.getDataKey(b.keyId)).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
  });
});

describe('KeyRing: rotation rewraps keys and never touches data', () => {
  it('rotateMaster: data stays readable; the store now opens only with the new master key', async () => {
    const { ring, store, master } = await newRing();
    await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const before = (await store.find({ kind: 'kek' }))[0] as WrappedKeyRecord;
    const next = MasterKey.generate();
    await ring.rotateMaster(next);
    const after = (await store.find({ kind: 'kek' }))[0] as WrappedKeyRecord;
    expect(after.keyId).toBe(before.keyId);
    expect(after.parentId).toBe(next.keyId);
    expect(after.wrapped.ct).not.toBe(before.wrapped.ct);
    expect(await readable(ring, data)).toBe(true);
    await expect(KeyRing.open({ store, master })).rejects.toMatchObject({ code: 'MASTER_KEY_WRONG' });
    const reopened = await KeyRing.open({ store, master: next });
    expect(await readable(reopened, data)).toBe(true);
  });

  it('rotateKek: a new KEK id, every child rewrapped under it, the old KEK gone, data readable', async () => {
    const { ring, store } = await newRing();
    const oldKek = await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const dekBefore = (await store.get(data.dek.keyId)) as WrappedKeyRecord;
    const newKek = await ring.rotateKek('tenant-a');
    expect(newKek).not.toBe(oldKek);
    expect(await store.get(oldKek)).toBeUndefined();
    expect((await store.find({ parentId: newKek })).map((r) => r.keyId).sort()).toEqual(
      [data.dek.keyId, data.subject.keyId].sort(),
    );
    const dekAfter = (await store.get(data.dek.keyId)) as WrappedKeyRecord;
    expect(dekAfter.wrapped.ct).not.toBe(dekBefore.wrapped.ct);
    expect(await readable(ring, data)).toBe(true);
  });

  it('a DEK created while a KEK rotation runs is not lost (operations are serialised)', async () => {
    const { ring } = await newRing();
    await ring.createTenantKek('tenant-a');
    await ring.createProjectDek('tenant-a');
    const [, dek] = await Promise.all([ring.rotateKek('tenant-a'), ring.createProjectDek('tenant-a')]);
    await expect(ring.getDataKey(dek.keyId)).resolves.toMatchObject({ keyId: dek.keyId });
  });
});

describe('KeyRing: crypto-shredding', () => {
  it('a destroyed DEK makes its files unreadable (KEY_DESTROYED) and is audited', async () => {
    const { ring, store, audit } = await newRing();
    await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const entries = await ring.destroyKey(data.dek.keyId, 'project p1 erased (DSR-42)');
    const expected = {
      keyId: data.dek.keyId,
      kind: 'dek',
      tenantId: 'tenant-a',
      destroyedAt: frozen().toISOString(),
      reason: 'project p1 erased (DSR-42)',
    };
    expect(entries).toEqual([expected]);
    expect(audit).toEqual([expected]);
    expect(await store.get(data.dek.keyId)).toBeUndefined();
    await expectRejection(
      decryptBuffer(data.file, { resolveKey: ring.resolveKey }),
      'KEY_DESTROYED',
      'DSR-42',
    );
    // Destroying again is a no-op, not an error; the subject key is untouched.
    expect(await ring.destroyKey(data.dek.keyId, 'again')).toEqual([]);
    await expect(ring.getDataKey(data.subject.keyId)).resolves.toBeDefined();
  });

  it('a destroyed subject key makes its sealed fields unreadable', async () => {
    const { ring } = await newRing();
    await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    await ring.destroyKey(data.subject.keyId, 'erasure request');
    await expect(ring.getDataKey(data.subject.keyId)).rejects.toMatchObject({ code: 'KEY_DESTROYED' });
    expect(await decryptBuffer(data.file, { resolveKey: ring.resolveKey })).toEqual(data.plaintext);
  });

  it('destroying a KEK destroys every key under it, each journaled', async () => {
    const { ring } = await newRing();
    const kek = await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const entries = await ring.destroyKey(kek, 'tenant off-boarded');
    expect(entries.map((e) => e.keyId).sort()).toEqual([kek, data.dek.keyId, data.subject.keyId].sort());
    await expect(ring.getDataKey(data.dek.keyId)).rejects.toMatchObject({ code: 'KEY_DESTROYED' });
    await expect(ring.createProjectDek('tenant-a')).rejects.toMatchObject({ code: 'KEY_UNKNOWN' });
  });

  it('refuses an empty reason and an unknown key', async () => {
    const { ring } = await newRing();
    await expect(ring.destroyKey('dek_x', ' ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ring.destroyKey('dek_x', 'why')).rejects.toMatchObject({ code: 'KEY_UNKNOWN' });
  });

  it('a restored key backup is re-shredded by the journal (and the journal wins meanwhile)', async () => {
    const { ring, store, master } = await newRing();
    await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const backup = (store as InMemoryKeyStore).snapshot(); // taken before the erasure
    await ring.destroyKey(data.dek.keyId, 'erasure');
    const journal = await ring.destroyedJournal();

    // Disaster: the key store is restored from the old backup. The DEK is back...
    const restored = await newRing(InMemoryKeyStore.fromSnapshot(backup), master);
    expect(await readable(restored.ring, data)).toBe(true);
    // ...until the journal, kept apart from key backups, is re-applied.
    expect(await restored.ring.applyDestroyedJournal(journal)).toEqual([data.dek.keyId]);
    expect(await restored.store.get(data.dek.keyId)).toBeUndefined();
    await expect(decryptBuffer(data.file, { resolveKey: restored.ring.resolveKey })).rejects.toMatchObject({
      code: 'KEY_DESTROYED',
    });
    expect(await restored.ring.destroyedJournal()).toEqual(journal);
    expect(digestJournal(await restored.ring.destroyedJournal())).toBe(digestJournal(journal));
    expect(digestJournal(journal.slice(1))).not.toBe(digestJournal(journal));
    // Idempotent.
    expect(await restored.ring.applyDestroyedJournal(journal)).toEqual([]);
    // Other keys from the backup are untouched.
    await expect(restored.ring.getDataKey(data.subject.keyId)).resolves.toBeDefined();
  });

  it('a journal entry for a KEK re-shreds its restored children too', async () => {
    const { ring, store, master } = await newRing();
    const kek = await ring.createTenantKek('tenant-a');
    const data = await withData(ring);
    const backup = (store as InMemoryKeyStore).snapshot();
    await ring.destroyKey(kek, 'tenant off-boarded');
    const kekOnly = (await ring.destroyedJournal()).filter((e) => e.keyId === kek);
    const restored = await newRing(InMemoryKeyStore.fromSnapshot(backup), master);
    expect((await restored.ring.applyDestroyedJournal(kekOnly)).sort()).toEqual(
      [kek, data.dek.keyId, data.subject.keyId].sort(),
    );
    await expect(restored.ring.getDataKey(data.subject.keyId)).rejects.toMatchObject({
      code: 'KEY_DESTROYED',
    });
  });

  it('a malformed journal is refused before anything is applied', async () => {
    const { ring } = await newRing();
    await expect(ring.applyDestroyedJournal([{ keyId: 'dek_x' } as DestroyedKeyEntry])).rejects.toMatchObject(
      {
        code: 'KEY_STORE_CORRUPT',
      },
    );
  });
});
