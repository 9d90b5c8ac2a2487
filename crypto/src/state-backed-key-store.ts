// The read side shared by the key stores that keep their whole state as one immutable
// KeyStoreState (in memory, or in a JSON file). Each store only decides how a change is kept.
import type {
  DestroyedKeyEntry,
  KeyQuery,
  KeyStore,
  KeyStoreChange,
  KeyStoreMeta,
  WrappedKeyRecord,
} from './key-store.ts';
import type { KeyStoreState } from './key-store-state.ts';

export abstract class StateBackedKeyStore implements KeyStore {
  protected state: KeyStoreState;

  protected constructor(state: KeyStoreState) {
    this.state = state;
  }

  meta(): Promise<KeyStoreMeta | undefined> {
    return Promise.resolve(this.state.meta);
  }

  get(keyId: string): Promise<WrappedKeyRecord | undefined> {
    return Promise.resolve(this.state.get(keyId));
  }

  find(query: KeyQuery): Promise<WrappedKeyRecord[]> {
    return Promise.resolve(this.state.find(query));
  }

  destroyedEntry(keyId: string): Promise<DestroyedKeyEntry | undefined> {
    return Promise.resolve(this.state.destroyedEntry(keyId));
  }

  journal(): Promise<DestroyedKeyEntry[]> {
    return Promise.resolve(this.state.journal());
  }

  abstract commit(change: KeyStoreChange): Promise<void>;
}
