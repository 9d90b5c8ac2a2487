// The contents of a key store as plain data, with the change semantics both bundled stores
// share, and the validation of that data when it comes back from a file or a backup.
import { EncryptedFieldSchema } from '@enclave/contracts';
import { CryptoError } from './errors.ts';
import { KEY_ID_PATTERN, KeyKind } from './key-id.ts';
import type {
  DestroyedKeyEntry,
  KeyQuery,
  KeyStoreChange,
  KeyStoreMeta,
  WrappedKeyRecord,
} from './key-store.ts';

export interface KeyStoreSnapshot {
  readonly version: 1;
  readonly meta: KeyStoreMeta | null;
  readonly keys: readonly WrappedKeyRecord[];
  readonly destroyed: readonly DestroyedKeyEntry[];
}

const STORED_KINDS: readonly string[] = [KeyKind.Kek, KeyKind.Dek, KeyKind.Subject, KeyKind.Index];

export class KeyStoreState {
  #meta: KeyStoreMeta | undefined;
  readonly #keys = new Map<string, WrappedKeyRecord>();
  readonly #destroyed = new Map<string, DestroyedKeyEntry>();

  static from(snapshot: unknown, where: string): KeyStoreState {
    const state = new KeyStoreState();
    const doc = snapshot as Partial<KeyStoreSnapshot> | null;
    if (doc === null || typeof doc !== 'object' || doc.version !== 1 || !Array.isArray(doc.keys)) {
      throw new CryptoError('KEY_STORE_CORRUPT', `${where} is not a version 1 key store.`);
    }
    if (doc.meta != null) state.#meta = { masterKeyId: checkId(doc.meta.masterKeyId, where) };
    for (const raw of doc.keys as unknown[]) {
      const record = checkRecord(raw, where);
      state.#keys.set(record.keyId, record);
    }
    for (const entry of parseJournal(doc.destroyed ?? [], where)) state.#destroyed.set(entry.keyId, entry);
    return state;
  }

  get meta(): KeyStoreMeta | undefined {
    return this.#meta;
  }

  get(keyId: string): WrappedKeyRecord | undefined {
    return this.#keys.get(keyId);
  }

  find(query: KeyQuery): WrappedKeyRecord[] {
    return [...this.#keys.values()].filter(
      (r) =>
        (query.kind === undefined || r.kind === query.kind) &&
        (query.tenantId === undefined || r.tenantId === query.tenantId) &&
        (query.parentId === undefined || r.parentId === query.parentId),
    );
  }

  destroyedEntry(keyId: string): DestroyedKeyEntry | undefined {
    return this.#destroyed.get(keyId);
  }

  journal(): DestroyedKeyEntry[] {
    return [...this.#destroyed.values()];
  }

  /** Applies a change to a copy and returns it, leaving this state untouched (all or nothing). */
  with(change: KeyStoreChange): KeyStoreState {
    const next = KeyStoreState.from(this.snapshot(), 'the key store');
    if (change.meta !== undefined) next.#meta = { ...change.meta };
    for (const keyId of change.remove ?? []) next.#keys.delete(keyId);
    for (const record of change.put ?? []) next.#keys.set(record.keyId, checkRecord(record, 'a new record'));
    for (const entry of parseJournal(change.destroyed ?? [], 'a journal entry')) {
      if (!next.#destroyed.has(entry.keyId)) next.#destroyed.set(entry.keyId, entry);
    }
    return next;
  }

  snapshot(): KeyStoreSnapshot {
    return structuredClone({
      version: 1,
      meta: this.#meta ?? null,
      keys: [...this.#keys.values()],
      destroyed: [...this.#destroyed.values()],
    });
  }
}

/** Validates a destroyed-keys journal from outside (a backup, an export), oldest first. */
export function parseJournal(journal: unknown, where = 'the destroyed-keys journal'): DestroyedKeyEntry[] {
  if (!Array.isArray(journal)) throw new CryptoError('KEY_STORE_CORRUPT', `${where} is not a list.`);
  return journal.map((raw: unknown, index) => {
    const entry = raw as Partial<DestroyedKeyEntry> | null;
    const ok =
      entry !== null &&
      typeof entry === 'object' &&
      isId(entry.keyId) &&
      STORED_KINDS.includes(String(entry.kind)) &&
      isId(entry.tenantId) &&
      isInstant(entry.destroyedAt) &&
      typeof entry.reason === 'string';
    if (!ok) throw new CryptoError('KEY_STORE_CORRUPT', `Entry ${index} of ${where} is malformed.`);
    const { keyId, kind, tenantId, destroyedAt, reason } = entry as DestroyedKeyEntry;
    return { keyId, kind, tenantId, destroyedAt, reason };
  });
}

function checkRecord(value: unknown, where: string): WrappedKeyRecord {
  const raw = value as WrappedKeyRecord;
  const ok =
    raw !== null &&
    typeof raw === 'object' &&
    isId(raw.keyId) &&
    STORED_KINDS.includes(String(raw.kind)) &&
    isId(raw.tenantId) &&
    isId(raw.parentId) &&
    isInstant(raw.createdAt) &&
    EncryptedFieldSchema.safeParse(raw.wrapped).success &&
    raw.wrapped.keyId === raw.parentId;
  if (!ok) throw new CryptoError('KEY_STORE_CORRUPT', `A wrapped key record in ${where} is malformed.`);
  const { keyId, kind, tenantId, parentId, createdAt, wrapped } = raw;
  return { keyId, kind, tenantId, parentId, createdAt, wrapped: { ...wrapped } };
}

function checkId(value: unknown, where: string): string {
  if (!isId(value)) throw new CryptoError('KEY_STORE_CORRUPT', `${where} has a malformed key id.`);
  return value;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID_PATTERN.test(value);
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
