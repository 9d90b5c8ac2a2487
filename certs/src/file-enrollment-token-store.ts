// Enrollment records as one JSON document (mode 0600) in the CA directory; `consume` is a
// compare-and-set under the directory lock, so a token works once even across processes.
import type { EnrollmentRecord, EnrollmentTokenStore } from './enrollment-token-store.ts';
import { JsonFileStore } from './json-file-store.ts';

interface TokenDoc {
  records: EnrollmentRecord[];
}

export class FileEnrollmentTokenStore implements EnrollmentTokenStore {
  readonly #store: JsonFileStore<TokenDoc>;

  constructor(path: string) {
    this.#store = new JsonFileStore<TokenDoc>(path, () => ({ records: [] }));
  }

  save(record: EnrollmentRecord): Promise<void> {
    return this.#store.update((doc) => ({
      doc: { records: [...doc.records.filter((r) => r.secretHash !== record.secretHash), record] },
      result: undefined,
    }));
  }

  async find(secretHash: string): Promise<EnrollmentRecord | undefined> {
    return (await this.#store.read()).records.find((r) => r.secretHash === secretHash);
  }

  consume(secretHash: string, usedAt: string): Promise<boolean> {
    return this.#store.update((doc) => {
      const record = doc.records.find((r) => r.secretHash === secretHash);
      if (!record || record.usedAt !== undefined) return { doc, result: false };
      const records = doc.records.map((r) => (r === record ? { ...r, usedAt } : r));
      return { doc: { records }, result: true };
    });
  }

  async list(): Promise<EnrollmentRecord[]> {
    return (await this.#store.read()).records;
  }
}
