// A key store in memory, for tests and for tools that hold keys briefly. snapshot() and
// fromSnapshot() stand in for a backup and its restore.
import type { KeyStoreChange } from './key-store.ts';
import { KeyStoreState, type KeyStoreSnapshot } from './key-store-state.ts';
import { StateBackedKeyStore } from './state-backed-key-store.ts';

export class InMemoryKeyStore extends StateBackedKeyStore {
  constructor(
    state: KeyStoreState = KeyStoreState.from({ version: 1, meta: null, keys: [], destroyed: [] }, ''),
  ) {
    super(state);
  }

  static fromSnapshot(snapshot: KeyStoreSnapshot): InMemoryKeyStore {
    return new InMemoryKeyStore(KeyStoreState.from(snapshot, 'the snapshot'));
  }

  snapshot(): KeyStoreSnapshot {
    return this.state.snapshot();
  }

  commit(change: KeyStoreChange): Promise<void> {
    try {
      this.state = this.state.with(change);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
