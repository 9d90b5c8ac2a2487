// Revocation state as one JSON document in the CA directory.
import { JsonFileStore } from './json-file-store.ts';
import type { CrlIssuer, RevocationEntry, RevocationStore } from './revocation-store.ts';
import { normalizeSerial } from './serial-numbers.ts';

interface RevocationDoc {
  entries: RevocationEntry[];
  crlNumbers: Record<CrlIssuer, number>;
}

export class FileRevocationStore implements RevocationStore {
  readonly #store: JsonFileStore<RevocationDoc>;

  constructor(path: string) {
    this.#store = new JsonFileStore<RevocationDoc>(path, () => ({
      entries: [],
      crlNumbers: { intermediate: 0, root: 0 },
    }));
  }

  add(entries: readonly RevocationEntry[]): Promise<RevocationEntry[]> {
    return this.#store.update((doc) => {
      const known = new Set(doc.entries.map((e) => e.serial));
      const fresh = entries
        .map((e) => ({ ...e, serial: normalizeSerial(e.serial) }))
        .filter((e) => !known.has(e.serial) && known.add(e.serial));
      return { doc: { ...doc, entries: [...doc.entries, ...fresh] }, result: fresh };
    });
  }

  async find(serial: string): Promise<RevocationEntry | undefined> {
    const wanted = normalizeSerial(serial);
    return (await this.#store.read()).entries.find((e) => e.serial === wanted);
  }

  async list(issuer: CrlIssuer): Promise<RevocationEntry[]> {
    return (await this.#store.read()).entries.filter((e) => e.issuer === issuer);
  }

  nextCrlNumber(issuer: CrlIssuer): Promise<number> {
    return this.#store.update((doc) => {
      const next = (doc.crlNumbers[issuer] ?? 0) + 1;
      return { doc: { ...doc, crlNumbers: { ...doc.crlNumbers, [issuer]: next } }, result: next };
    });
  }
}
