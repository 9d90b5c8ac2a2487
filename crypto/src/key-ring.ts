// The key hierarchy over a KeyStore: master key → tenant KEK → project DEK / subject key /
// tenant index key. Rotation rewraps children and never touches data ciphertexts (they name a
// DEK id, which does not change). Destruction deletes the wrapped material and journals it in
// the same commit; a key in the journal is refused with KEY_DESTROYED forever after, including
// after a backup restore once the journal has been re-applied.
import { DataKey, type KeyResolver } from './data-key.ts';
import { CryptoError, quote } from './errors.ts';
import { KeyKind, assertKeyId, newKeyId, type DataKeyKind } from './key-id.ts';
import type { DestroyedKeyEntry, KeyStore, WrappedKeyRecord } from './key-store.ts';
import { planDestruction, planJournalReapplication } from './key-destruction.ts';
import { unwrapKey, wrapKey } from './key-wrapping.ts';
import type { MasterKey } from './master-key.ts';
import { KEY_LENGTH, SecretKey, secretOf } from './secret-key.ts';
import { cryptoRandomBytes, systemClock, type Clock, type RandomBytes } from './seams.ts';

export interface KeyRingOptions {
  readonly store: KeyStore;
  readonly master: MasterKey;
  readonly clock?: Clock;
  readonly random?: RandomBytes;
  /** Told of every destruction once committed: where the audit trail records it. */
  readonly onKeyDestroyed?: (entry: DestroyedKeyEntry) => void | Promise<void>;
}

export class KeyRing {
  readonly #store: KeyStore;
  readonly #clock: Clock;
  readonly #random: RandomBytes;
  readonly #onKeyDestroyed: KeyRingOptions['onKeyDestroyed'];
  #master: MasterKey;
  /** Every operation runs alone: a KEK rotation must not race a DEK being created under it. */
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(options: KeyRingOptions) {
    this.#store = options.store;
    this.#master = options.master;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandomBytes;
    this.#onKeyDestroyed = options.onKeyDestroyed;
  }

  /**
   * Opens the ring; a fresh store is sealed to `master`. Fails with MASTER_KEY_WRONG when the
   * store was sealed with another master key: start-up must stop there.
   */
  static async open(options: KeyRingOptions): Promise<KeyRing> {
    const meta = await options.store.meta();
    if (meta === undefined) {
      await options.store.commit({ meta: { masterKeyId: options.master.keyId } });
    } else if (meta.masterKeyId !== options.master.keyId) {
      throw new CryptoError(
        'MASTER_KEY_WRONG',
        `The key store is sealed with master key ${meta.masterKeyId}, but the master key given is ` +
          `${options.master.keyId}: wrong key file or passphrase. The key store stays sealed.`,
      );
    }
    return new KeyRing(options);
  }

  get masterKeyId(): string {
    return this.#master.keyId;
  }

  /** For createDecryptStream / decryptBuffer: resolves the key id a ciphertext names. */
  readonly resolveKey: KeyResolver = (keyId) => this.getDataKey(keyId);

  createTenantKek(tenantId: string): Promise<string> {
    return this.#exclusive(async () => {
      assertKeyId(tenantId, 'tenant id');
      if ((await this.#store.find({ kind: KeyKind.Kek, tenantId })).length > 0) {
        throw new CryptoError('KEY_EXISTS', `Tenant ${tenantId} already has a KEK; rotate it instead.`);
      }
      const { record, key } = this.#newWrapped(this.#master, KeyKind.Kek, tenantId);
      key.destroy();
      await this.#store.commit({ put: [record] });
      return record.keyId;
    });
  }

  createProjectDek(tenantId: string): Promise<DataKey> {
    return this.#createDataKey(tenantId, KeyKind.Dek);
  }

  createSubjectKey(tenantId: string): Promise<DataKey> {
    return this.#createDataKey(tenantId, KeyKind.Subject);
  }

  createIndexKey(tenantId: string): Promise<DataKey> {
    return this.#createDataKey(tenantId, KeyKind.Index);
  }

  /** The data key `keyId`; KEY_DESTROYED, KEY_UNKNOWN or KEY_INVALID (for a KEK id) otherwise. */
  getDataKey(keyId: string): Promise<DataKey> {
    return this.#exclusive(async () => {
      const record = await this.#liveRecord(keyId);
      if (record.kind === KeyKind.Kek) {
        throw new CryptoError('KEY_INVALID', `Key ${keyId} is a KEK; it wraps keys and never encrypts data.`);
      }
      const kek = await this.#unwrapKek(record.parentId);
      try {
        return this.#toDataKey(record, unwrapKey(kek, record));
      } finally {
        kek.destroy();
      }
    });
  }

  /**
   * Rewraps every KEK under `next` and records it as the store's master key, in one commit.
   * Make `next` durable first (key file written, passphrase parameters stored): once this
   * returns, only `next` opens the store.
   */
  rotateMaster(next: MasterKey): Promise<void> {
    return this.#exclusive(async () => {
      const keks = await this.#store.find({ kind: KeyKind.Kek });
      const rewrapped = keks.map((record) => this.#rewrap(record, this.#master, next));
      await this.#store.commit({ put: rewrapped, meta: { masterKeyId: next.keyId } });
      this.#master = next;
    });
  }

  /** Replaces the tenant's KEK with a new one (new id) and rewraps its children; returns the new id. */
  rotateKek(tenantId: string): Promise<string> {
    return this.#exclusive(async () => {
      const old = await this.#currentKek(tenantId);
      const oldKek = this.#unwrap(this.#master, old);
      const fresh = this.#newWrapped(this.#master, KeyKind.Kek, tenantId);
      try {
        const children = await this.#store.find({ parentId: old.keyId });
        const rewrapped = children.map((child) => this.#rewrap(child, oldKek, fresh.key));
        await this.#store.commit({ put: [fresh.record, ...rewrapped], remove: [old.keyId] });
        return fresh.record.keyId;
      } finally {
        oldKek.destroy();
        fresh.key.destroy();
      }
    });
  }

  /**
   * Crypto-shreds `keyId`: its wrapped material is deleted and the destruction journaled, in one
   * commit. Destroying a KEK destroys every key under it (tenant off-boarding). Returns the new
   * journal entries (none when the key was already destroyed).
   */
  async destroyKey(keyId: string, reason: string): Promise<DestroyedKeyEntry[]> {
    const entries = await this.#exclusive(async () => {
      const plan = await planDestruction(this.#store, keyId, reason, this.#clock().toISOString());
      if (plan.entries.length > 0) await this.#store.commit(plan.change);
      return plan.entries;
    });
    // Outside the lock, so an audit hook may call back into the ring.
    for (const entry of entries) await this.#onKeyDestroyed?.(entry);
    return entries;
  }

  destroyedJournal(): Promise<DestroyedKeyEntry[]> {
    return this.#store.journal();
  }

  /**
   * After restoring a key backup: destroys again every key the journal names (and, for a KEK,
   * every key under it) and merges the journal into the store's. Idempotent. Returns the keys
   * whose material was present and has now been deleted.
   */
  applyDestroyedJournal(journal: readonly DestroyedKeyEntry[]): Promise<string[]> {
    return this.#exclusive(async () => {
      const plan = await planJournalReapplication(this.#store, journal);
      await this.#store.commit(plan.change);
      return plan.removed;
    });
  }

  #createDataKey(tenantId: string, kind: DataKeyKind): Promise<DataKey> {
    return this.#exclusive(async () => {
      const kekRecord = await this.#currentKek(tenantId);
      const kek = this.#unwrap(this.#master, kekRecord);
      try {
        const { record, key } = this.#newWrapped(kek, kind, tenantId);
        try {
          await this.#store.commit({ put: [record] });
          return new DataKey(record.keyId, kind, secretOf(key));
        } finally {
          key.destroy();
        }
      } finally {
        kek.destroy();
      }
    });
  }

  async #liveRecord(keyId: string): Promise<WrappedKeyRecord> {
    // The journal wins over a record: a restored backup may hold material for a destroyed key.
    const destroyed = await this.#store.destroyedEntry(keyId);
    if (destroyed !== undefined) {
      throw new CryptoError(
        'KEY_DESTROYED',
        `Key ${keyId} was destroyed at ${destroyed.destroyedAt} (${quote(destroyed.reason)}); what it ` +
          'encrypted cannot be recovered.',
      );
    }
    const record = await this.#store.get(keyId);
    if (record === undefined) throw new CryptoError('KEY_UNKNOWN', `There is no key ${quote(keyId)}.`);
    return record;
  }

  async #currentKek(tenantId: string): Promise<WrappedKeyRecord> {
    const keks = await this.#store.find({ kind: KeyKind.Kek, tenantId });
    const kek = keks[0];
    if (kek === undefined) {
      throw new CryptoError('KEY_UNKNOWN', `Tenant ${quote(tenantId)} has no KEK; create it first.`);
    }
    if (keks.length > 1)
      throw new CryptoError('KEY_STORE_CORRUPT', `Tenant ${tenantId} has ${keks.length} KEKs.`);
    return kek;
  }

  async #unwrapKek(kekId: string): Promise<SecretKey> {
    const record = await this.#store.get(kekId);
    if (record === undefined || record.kind !== KeyKind.Kek) {
      throw new CryptoError('KEY_STORE_CORRUPT', `The KEK ${kekId} that wraps a stored key is missing.`);
    }
    return this.#unwrap(this.#master, record);
  }

  #unwrap(parent: SecretKey, record: WrappedKeyRecord): SecretKey {
    const bytes = unwrapKey(parent, record);
    try {
      return new SecretKey(record.keyId, record.kind, bytes);
    } finally {
      bytes.fill(0);
    }
  }

  #toDataKey(record: WrappedKeyRecord, bytes: Buffer): DataKey {
    try {
      return new DataKey(record.keyId, record.kind as DataKeyKind, bytes);
    } finally {
      bytes.fill(0);
    }
  }

  /** A fresh random key of `kind`, wrapped under `parent`; the caller destroys `key`. */
  #newWrapped(parent: SecretKey, kind: Exclude<KeyKind, 'master'>, tenantId: string) {
    const bytes = this.#random(KEY_LENGTH);
    try {
      const label = {
        keyId: newKeyId(kind, this.#random),
        kind,
        tenantId,
        createdAt: this.#clock().toISOString(),
      };
      const record = wrapKey(parent, label, bytes, this.#random);
      return { record, key: new SecretKey(label.keyId, kind, bytes) };
    } finally {
      bytes.fill(0);
    }
  }

  #rewrap(record: WrappedKeyRecord, from: SecretKey, to: SecretKey): WrappedKeyRecord {
    const bytes = unwrapKey(from, record);
    try {
      return wrapKey(to, record, bytes, this.#random);
    } finally {
      bytes.fill(0);
    }
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
