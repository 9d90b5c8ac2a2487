// Subject keys (one per person, under the tenant's KEK) and the platform index key for blind
// indexes. A person's personal-data columns are sealed under their subject key, so destroying
// it (erasure, tenant off-boarding) makes every copy unreadable: the database file, its WAL and
// every backup. The index key is separate on purpose: sign-in must find a person by email before
// it knows who they are, and so before it could open their subject key. It lives under a KEK of
// its own (scope PLATFORM_KEY_SCOPE) because sign-in by email is also tenant-free.
import { isCryptoError, KeyRing, type DataKey, type DestroyedKeyEntry } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { SqliteKeyStore } from './sqlite-key-store.ts';

/** The key-store "tenant" of the platform index key; tenant ids are UUIDs, so it never collides. */
export const PLATFORM_KEY_SCOPE = 'enclave-platform';

@Injectable()
export class SubjectKeys {
  #index: Promise<DataKey> | undefined;

  constructor(
    private readonly ring: KeyRing,
    private readonly store: SqliteKeyStore,
  ) {}

  /** A new subject key for one person of `tenantId`; the caller keeps its id on their row. */
  create(tenantId: string): Promise<DataKey> {
    return withKek(this.ring, tenantId, () => this.ring.createSubjectKey(tenantId));
  }

  /** The subject key, or null when it was destroyed (the person was erased). */
  async open(keyId: string): Promise<DataKey | null> {
    try {
      return await this.ring.getDataKey(keyId);
    } catch (error) {
      if (isCryptoError(error, 'KEY_DESTROYED')) return null;
      throw error;
    }
  }

  /** Crypto-shreds one person's personal data (journaled; `key-destroyed` emitted). Idempotent. */
  destroy(keyId: string, reason: string): Promise<DestroyedKeyEntry[]> {
    return this.ring.destroyKey(keyId, reason);
  }

  /**
   * The platform index key, made on first use and kept in memory: every sign-in needs it, and
   * it hides only equality (never destroyed by an erasure; the erased row's index is deleted).
   */
  indexKey(): Promise<DataKey> {
    this.#index ??= this.#loadIndexKey().catch((error: unknown) => {
      this.#index = undefined;
      throw error;
    });
    return this.#index;
  }

  async #loadIndexKey(): Promise<DataKey> {
    const existing = await this.#indexKeyId();
    if (existing !== undefined) return this.ring.getDataKey(existing);
    const created = await withKek(this.ring, PLATFORM_KEY_SCOPE, () =>
      this.ring.createIndexKey(PLATFORM_KEY_SCOPE),
    );
    created.destroy();
    // Read back rather than use ours: should the admin CLI have made one at the same moment,
    // both processes settle on the same key (the lowest id).
    const settled = await this.#indexKeyId();
    if (settled === undefined) throw new Error('The platform index key just created is missing.');
    return this.ring.getDataKey(settled);
  }

  async #indexKeyId(): Promise<string | undefined> {
    return (await this.store.find({ kind: 'index', tenantId: PLATFORM_KEY_SCOPE }))[0]?.keyId;
  }
}

/** Runs `make`, creating the scope's KEK first when it has none yet (lazily, race-safe). */
async function withKek(ring: KeyRing, scope: string, make: () => Promise<DataKey>): Promise<DataKey> {
  try {
    return await make();
  } catch (error) {
    if (!isCryptoError(error, 'KEY_UNKNOWN')) throw error;
    try {
      await ring.createTenantKek(scope);
    } catch (kekError) {
      // Another caller made it between our two steps: use theirs.
      if (!isCryptoError(kekError, 'KEY_EXISTS')) throw kekError;
    }
    return make();
  }
}
