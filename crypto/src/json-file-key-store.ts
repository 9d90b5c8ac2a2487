// A key store in one JSON file (mode 0600), replaced atomically on every change. Good for
// tools, tests and a single process; the control plane uses SQLite. Deleted records vanish from
// the new file, but the old file's blocks may survive on disk until overwritten: wrapped keys
// are still encrypted under the master key, which is why destruction is also journaled.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.ts';
import { CryptoError } from './errors.ts';
import type { KeyStoreChange } from './key-store.ts';
import { KeyStoreState } from './key-store-state.ts';
import { StateBackedKeyStore } from './state-backed-key-store.ts';

export class JsonFileKeyStore extends StateBackedKeyStore {
  readonly #path: string;
  /** Commits run one after another so no write is lost to an interleaving. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(path: string, state: KeyStoreState) {
    super(state);
    this.#path = path;
  }

  /** Opens the file, or starts an empty store that is written on the first commit. */
  static async open(path: string): Promise<JsonFileKeyStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) {
      return new JsonFileKeyStore(
        path,
        KeyStoreState.from({ version: 1, meta: null, keys: [], destroyed: [] }, path),
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (cause) {
      throw new CryptoError('KEY_STORE_CORRUPT', `The key store ${path} is not valid JSON.`, { cause });
    }
    return new JsonFileKeyStore(path, KeyStoreState.from(doc, path));
  }

  commit(change: KeyStoreChange): Promise<void> {
    const run = this.#queue.then(async () => {
      const next = this.state.with(change);
      await writeFileAtomic(this.#path, JSON.stringify(next.snapshot(), null, 2) + '\n', 0o600);
      this.state = next; // only once the file holds it
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
