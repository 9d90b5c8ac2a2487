// A key store in memory, for tests and for tools that hold keys briefly. snapshot() and
// fromSnapshot() stand in for a backup and its restore.
import type {
  DestroyedKeyEntry,
  KeyQuery,
  KeyStore,
  KeyStoreChange,
  KeyStoreMeta,
  WrappedKeyRecord,
} from './key-store.ts';
import { KeyStoreState, type KeyStoreSnapshot } from './key-store-state.ts';

export class InMemoryKeyStore implements KeyStore {
  #state: KeyStoreState;

  constructor(
    state: KeyStoreState = KeyStoreState.from({ version: 1, meta: null, keys: [], destroyed: [] }, ''),
  ) {
    this.#state = state;
  }

  static fromSnapshot(snapshot: KeyStoreSnapshot): InMemoryKeyStore {
    return new InMemoryKeyStore(KeyStoreState.from(snapshot, 'the snapshot'));
  }

  snapshot(): KeyStoreSnapshot {
    return this.#state.snapshot();
  }

  meta(): Promise<KeyStoreMeta | undefined> {
    return Promise.resolve(this.#state.meta);
  }

  get(keyId: string): Promise<WrappedKeyRecord | undefined> {
    return Promise.resolve(this.#state.get(keyId));
  }

  find(query: KeyQuery): Promise<WrappedKeyRecord[]> {
    return Promise.resolve(this.#state.find(query));
  }

  destroyedEntry(keyId: string): Promise<DestroyedKeyEntry | undefined> {
    return Promise.resolve(this.#state.destroyedEntry(keyId));
  }

  journal(): Promise<DestroyedKeyEntry[]> {
    return Promise.resolve(this.#state.journal());
  }

  commit(change: KeyStoreChange): Promise<void> {
    try {
      this.#state = this.#state.with(change);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
