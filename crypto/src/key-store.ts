// Where wrapped keys live. The control plane backs this with SQLite (through MikroORM, with
// secure_delete on); this package ships an in-memory store for tests and a JSON-file store for
// tools. Only wrapped (encrypted) key material ever reaches a store.
import type { EncryptedField } from '@enclave/contracts';
import type { KeyKind } from './key-id.ts';

export type StoredKeyKind = Exclude<KeyKind, 'master'>;

export interface WrappedKeyRecord {
  readonly keyId: string;
  readonly kind: StoredKeyKind;
  readonly tenantId: string;
  /** The wrapping key: the master key for a KEK, the tenant's KEK for everything else. */
  readonly parentId: string;
  readonly createdAt: string;
  /** The key material sealed under the parent; `wrapped.keyId` is `parentId`. */
  readonly wrapped: EncryptedField;
}

/**
 * One line of the destroyed-keys journal: append-only, never pruned. It outlives key backups:
 * restoring an older backup re-applies it, so a destroyed key stays destroyed.
 */
export interface DestroyedKeyEntry {
  readonly keyId: string;
  readonly kind: StoredKeyKind;
  readonly tenantId: string;
  readonly destroyedAt: string;
  readonly reason: string;
}

export interface KeyStoreMeta {
  /** Id (fingerprint) of the master key that wraps the KEKs. */
  readonly masterKeyId: string;
}

export interface KeyQuery {
  readonly kind?: StoredKeyKind;
  readonly tenantId?: string;
  readonly parentId?: string;
}

/** One atomic change: all of it is applied, or none (an SQLite transaction). */
export interface KeyStoreChange {
  readonly meta?: KeyStoreMeta;
  /** Inserted, or replacing the record with the same keyId. */
  readonly put?: readonly WrappedKeyRecord[];
  /** Deleted for good; a store should overwrite the bytes (SQLite secure_delete). */
  readonly remove?: readonly string[];
  readonly destroyed?: readonly DestroyedKeyEntry[];
}

export interface KeyStore {
  meta(): Promise<KeyStoreMeta | undefined>;
  get(keyId: string): Promise<WrappedKeyRecord | undefined>;
  find(query: KeyQuery): Promise<WrappedKeyRecord[]>;
  destroyedEntry(keyId: string): Promise<DestroyedKeyEntry | undefined>;
  /** The whole journal, oldest first. */
  journal(): Promise<DestroyedKeyEntry[]>;
  commit(change: KeyStoreChange): Promise<void>;
}
