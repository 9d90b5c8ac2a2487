// The key store's tables (crypto's KeyStore over SQLite, with secure_delete on so a deleted
// wrapped key is overwritten in the file). Only wrapped (encrypted) key material is stored:
// KEKs under the master key, data keys under their tenant's KEK. The destroyed-keys journal is
// append-only and never pruned; the meta row records which master key seals the store.
import type { EncryptedField } from '@enclave/contracts';
import type { PassphraseParams } from '@enclave/crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const WrappedKey = defineEntity({
  name: 'WrappedKey',
  tableName: 'wrapped_key',
  properties: {
    keyId: p.string().length(64).primary(),
    /** kek | dek | subject | index */
    kind: p.string().length(16),
    tenantId: p.string().length(64),
    /** The wrapping key: the master key for a KEK, the tenant's KEK otherwise. */
    parentId: p.string().length(64),
    createdAt: p.string().length(40),
    wrapped: p.json<EncryptedField>(),
  },
  indexes: [{ properties: ['tenantId', 'kind'] }, { properties: ['parentId'] }],
});

export const DestroyedKey = defineEntity({
  name: 'DestroyedKey',
  tableName: 'destroyed_key',
  properties: {
    /** Journal order (oldest first). */
    seq: p.integer().primary().autoincrement(),
    keyId: p.string().length(64).unique(),
    kind: p.string().length(16),
    tenantId: p.string().length(64),
    destroyedAt: p.string().length(40),
    reason: p.string().length(500),
  },
});

export const KeyStoreMetaRow = defineEntity({
  name: 'KeyStoreMetaRow',
  tableName: 'key_store_meta',
  properties: {
    /** Always 1: one row. */
    id: p.integer().primary(),
    masterKeyId: p.string().length(64),
    /** Set when the master key comes from a passphrase: salt, cost and key-check id. */
    passphraseParams: p.json<PassphraseParams>().nullable(),
  },
});

/** Which DEK encrypts a project's data; erasing the project destroys that key. */
export const ProjectKey = defineEntity({
  name: 'ProjectKey',
  tableName: 'project_key',
  properties: {
    projectId: p.string().length(64).primary(),
    tenantId: p.string().length(64),
    keyId: p.string().length(64).unique(),
    createdAt: p.datetime(),
    /** Set when the key was destroyed (the project crypto-shredded). */
    destroyedAt: p.datetime().nullable(),
  },
});

export type WrappedKeyRow = InferEntity<typeof WrappedKey>;
export type DestroyedKeyRow = InferEntity<typeof DestroyedKey>;
export type ProjectKeyRow = InferEntity<typeof ProjectKey>;
