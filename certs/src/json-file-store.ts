// A small JSON document on disk, changed only under a cross-process lock and replaced atomically.
// Both file-backed stores (revocations, enrollment tokens) are one of these.
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';
import { CertsError } from './certs-error.ts';
import { withFileLock } from './file-lock.ts';

export class JsonFileStore<T> {
  readonly #path: string;
  readonly #empty: () => T;
  readonly #mode: number;

  constructor(path: string, empty: () => T, mode = 0o600) {
    this.#path = path;
    this.#empty = empty;
    this.#mode = mode;
  }

  async read(): Promise<T> {
    const text = await readTextIfExists(this.#path);
    if (text === undefined) return this.#empty();
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new CertsError('CA_CORRUPT', `${this.#path} is not valid JSON.`, { cause });
    }
  }

  /** Runs `change` on the current document and writes what it returns, all under the lock. */
  update<R>(change: (doc: T) => { doc: T; result: R }): Promise<R> {
    return withFileLock(`${this.#path}.lock`, async () => {
      const { doc, result } = change(await this.read());
      await writeFileAtomic(this.#path, JSON.stringify(doc, null, 2) + '\n', this.#mode);
      return result;
    });
  }
}
