// crypto's KeyStore over SQLite (MikroORM): the control plane's home for wrapped keys, their
// meta and the destroyed-keys journal. Same semantics as crypto's bundled stores: a commit is
// all or nothing (one SQLite transaction), a put replaces the record with its keyId, a removed
// row is overwritten in the file (secure_delete=ON, database/sqlite-pragmas.ts), and the
// journal only grows (an entry for a key already journaled is kept as first written). With a
// journal file (destroyed-keys.journal.ts), every destruction is also appended there once the
// transaction has committed: the copy that a restore of the database does not take back.
import { EncryptedFieldSchema } from '@enclave/contracts';
import {
  CryptoError,
  parseJournal,
  type DestroyedKeyEntry,
  type KeyQuery,
  type KeyStore,
  type KeyStoreChange,
  type KeyStoreMeta,
  type PassphraseParams,
  type StoredKeyKind,
  type WrappedKeyRecord,
} from '@enclave/crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/sqlite';
import {
  DestroyedKey,
  KeyStoreMetaRow,
  WrappedKey,
  type DestroyedKeyRow,
  type WrappedKeyRow,
} from './key-store.entities.ts';
import type { DestroyedKeysJournal } from './destroyed-keys.journal.ts';

const META_ROW = 1;
const STORED_KINDS: readonly string[] = ['kek', 'dek', 'subject', 'index'];
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class SqliteKeyStore implements KeyStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly journalFile?: DestroyedKeysJournal,
  ) {}

  async meta(): Promise<KeyStoreMeta | undefined> {
    const row = await this.#em().findOne(KeyStoreMetaRow, { id: META_ROW });
    return row === null ? undefined : { masterKeyId: row.masterKeyId };
  }

  /** The stored scrypt parameters when the master key comes from a passphrase. */
  async passphraseParams(): Promise<PassphraseParams | undefined> {
    const row = await this.#em().findOne(KeyStoreMetaRow, { id: META_ROW });
    return row?.passphraseParams ?? undefined;
  }

  /** Records the passphrase parameters of a freshly created passphrase master key. */
  async savePassphraseParams(params: PassphraseParams): Promise<void> {
    await this.#em().transactional(async (em) => {
      const row = await em.findOne(KeyStoreMetaRow, { id: META_ROW });
      if (row === null) {
        em.create(KeyStoreMetaRow, { id: META_ROW, masterKeyId: params.keyId, passphraseParams: params });
      } else row.passphraseParams = params;
    });
  }

  async get(keyId: string): Promise<WrappedKeyRecord | undefined> {
    const row = await this.#em().findOne(WrappedKey, { keyId });
    return row === null ? undefined : toRecord(row);
  }

  async find(query: KeyQuery): Promise<WrappedKeyRecord[]> {
    const where = {
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.tenantId !== undefined ? { tenantId: query.tenantId } : {}),
      ...(query.parentId !== undefined ? { parentId: query.parentId } : {}),
    };
    return (await this.#em().find(WrappedKey, where, { orderBy: { keyId: 'asc' } })).map(toRecord);
  }

  async destroyedEntry(keyId: string): Promise<DestroyedKeyEntry | undefined> {
    const row = await this.#em().findOne(DestroyedKey, { keyId });
    return row === null ? undefined : toEntry(row);
  }

  async journal(): Promise<DestroyedKeyEntry[]> {
    return (await this.#em().find(DestroyedKey, {}, { orderBy: { seq: 'asc' } })).map(toEntry);
  }

  async commit(change: KeyStoreChange): Promise<void> {
    // Validated before the transaction opens: a malformed change writes nothing.
    const put = (change.put ?? []).map(checkRecord);
    const destroyed = parseJournal(change.destroyed ?? [], 'a journal entry');
    await this.#em().transactional(async (em) => {
      if (change.meta !== undefined) {
        const row = await em.findOne(KeyStoreMetaRow, { id: META_ROW });
        if (row === null) em.create(KeyStoreMetaRow, { id: META_ROW, masterKeyId: change.meta.masterKeyId });
        else row.masterKeyId = change.meta.masterKeyId;
      }
      const removed = new Set(change.remove ?? []);
      for (const record of put) removed.delete(record.keyId);
      if (removed.size > 0) await em.nativeDelete(WrappedKey, { keyId: { $in: [...removed] } });
      for (const record of put) {
        const row = await em.findOne(WrappedKey, { keyId: record.keyId });
        if (row === null) em.create(WrappedKey, { ...record, wrapped: { ...record.wrapped } });
        else em.assign(row, { ...record, wrapped: { ...record.wrapped } });
      }
      for (const entry of destroyed) {
        if ((await em.findOne(DestroyedKey, { keyId: entry.keyId })) !== null) continue;
        em.create(DestroyedKey, { ...entry, reason: entry.reason.slice(0, 500) });
        // Keep the journal's order of this change: each entry gets its seq as it is flushed.
        await em.flush();
      }
    });
    // After the commit: a crash in between leaves the entry in the database only, and the
    // start-up reconciliation copies it into the file.
    if (this.journalFile !== undefined && destroyed.length > 0) await this.journalFile.append(destroyed);
  }

  #em(): EntityManager {
    return this.orm.em.fork();
  }
}

function toRecord(row: WrappedKeyRow): WrappedKeyRecord {
  return {
    keyId: row.keyId,
    kind: row.kind as StoredKeyKind,
    tenantId: row.tenantId,
    parentId: row.parentId,
    createdAt: row.createdAt,
    wrapped: { ...row.wrapped },
  };
}

function toEntry(row: DestroyedKeyRow): DestroyedKeyEntry {
  return {
    keyId: row.keyId,
    kind: row.kind as StoredKeyKind,
    tenantId: row.tenantId,
    destroyedAt: row.destroyedAt,
    reason: row.reason,
  };
}

/** The same checks crypto's bundled stores make on a record before keeping it. */
function checkRecord(record: WrappedKeyRecord): WrappedKeyRecord {
  const ok =
    ID.test(record.keyId) &&
    STORED_KINDS.includes(record.kind) &&
    ID.test(record.tenantId) &&
    ID.test(record.parentId) &&
    !Number.isNaN(Date.parse(record.createdAt)) &&
    EncryptedFieldSchema.safeParse(record.wrapped).success &&
    record.wrapped.keyId === record.parentId;
  if (!ok) throw new CryptoError('KEY_STORE_CORRUPT', 'A wrapped key record to store is malformed.');
  return record;
}
