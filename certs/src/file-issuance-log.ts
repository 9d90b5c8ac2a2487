// Issuance log as JSON lines in the CA directory. Appends happen under the directory lock so two
// processes cannot fork the hash chain; each line is fsynced before the issuing call returns.
import { open } from 'node:fs/promises';
import { appendLineDurable, readTextIfExists } from './atomic-file.ts';
import { CertsError } from './certs-error.ts';
import { withFileLock } from './file-lock.ts';
import {
  chainEntry,
  GENESIS_HASH,
  type IssuanceLog,
  type IssuanceLogEntry,
  type IssuanceLogInput,
} from './issuance-log.ts';
import { normalizeSerial } from './serial-numbers.ts';

const TAIL_BYTES = 64 * 1024; // far more than one entry, which is a few hundred bytes

export class FileIssuanceLog implements IssuanceLog {
  readonly #path: string;
  readonly #lockPath: string;

  constructor(path: string) {
    this.#path = path;
    this.#lockPath = `${path}.lock`;
  }

  append(input: IssuanceLogInput): Promise<IssuanceLogEntry> {
    return withFileLock(this.#lockPath, async () => {
      const last = await this.#lastEntry();
      const entry = chainEntry(
        { ...input, serial: normalizeSerial(input.serial) },
        (last?.seq ?? 0) + 1,
        last?.hash ?? GENESIS_HASH,
      );
      await appendLineDurable(this.#path, JSON.stringify(entry));
      return entry;
    });
  }

  async entries(): Promise<IssuanceLogEntry[]> {
    const text = (await readTextIfExists(this.#path)) ?? '';
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        try {
          return JSON.parse(line) as IssuanceLogEntry;
        } catch (cause) {
          throw new CertsError('CA_CORRUPT', `Issuance log line ${index + 1} is not valid JSON.`, { cause });
        }
      });
  }

  /** Reads only the tail, so appending stays O(1) as the log grows (a renewal storm appends 1,000 lines). */
  async #lastEntry(): Promise<IssuanceLogEntry | undefined> {
    let handle;
    try {
      handle = await open(this.#path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, TAIL_BYTES);
      const tail = Buffer.alloc(length);
      await handle.read(tail, 0, length, size - length);
      const lines = tail
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const last = lines.at(-1);
      if (last === undefined) return undefined;
      try {
        return JSON.parse(last) as IssuanceLogEntry;
      } catch (cause) {
        throw new CertsError('CA_CORRUPT', 'The last line of the issuance log is not valid JSON.', { cause });
      }
    } finally {
      await handle.close();
    }
  }

  async findIssued(serial: string): Promise<IssuanceLogEntry | undefined> {
    const wanted = normalizeSerial(serial);
    return (await this.entries()).find((e) => e.serial === wanted && e.event !== 'revoked');
  }

  async issuedTo(principal: string): Promise<IssuanceLogEntry[]> {
    return (await this.entries()).filter((e) => e.principal === principal && e.event !== 'revoked');
  }
}
