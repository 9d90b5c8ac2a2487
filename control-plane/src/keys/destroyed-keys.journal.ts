// The destroyed-keys journal as a file beside the database: `$ENCLAVE_DATA_DIR/destroyed-keys.journal`.
// The `destroyed_key` table inside enclave.db goes back in time with every restore of a database
// (key) backup; this file does not (a restore puts back enclave.db only, docs/operations.md), so
// it still names every key destroyed since the backup, and start-up destroys them again.
//
// Format: one JSON object per line (newline-terminated), append-only, hash-chained:
//   {"seq":1,"entry":{keyId,kind,tenantId,destroyedAt,reason},"prev":"<64 hex>","hash":"<64 hex>"}
// hash = SHA-256 over `enclave/destroyed-keys/v1\n<seq>\n<prev>\n` + JSON [keyId, kind, tenantId,
// destroyedAt, reason]; prev is the previous line's hash (64 zeros for the first). An edited,
// deleted or reordered line fails the chain and start-up stops with the line number. A last
// line without its newline is a write torn by a crash: it is cut off (the database still holds
// that entry, and reconciliation writes it again). No key material is ever in the file.
import type { DestroyedKeyEntry } from '@enclave/crypto';
import { parseJournal } from '@enclave/crypto';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AsyncMutex } from '../common/async-mutex.ts';

export const DESTROYED_KEYS_JOURNAL_FILE = 'destroyed-keys.journal';
const GENESIS = '0'.repeat(64);
const DOMAIN = 'enclave/destroyed-keys/v1';

export class JournalFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalFileError';
  }
}

interface JournalLine {
  readonly seq: number;
  readonly entry: DestroyedKeyEntry;
  readonly prev: string;
  readonly hash: string;
}

export function journalFilePath(dataDir: string): string {
  return join(dataDir, DESTROYED_KEYS_JOURNAL_FILE);
}

export function lineHash(seq: number, prev: string, entry: DestroyedKeyEntry): string {
  const { keyId, kind, tenantId, destroyedAt, reason } = entry;
  return createHash('sha256')
    .update(`${DOMAIN}\n${seq}\n${prev}\n`)
    .update(JSON.stringify([keyId, kind, tenantId, destroyedAt, reason]))
    .digest('hex');
}

export class DestroyedKeysJournal {
  readonly #lines: JournalLine[];
  readonly #keyIds: Set<string>;
  readonly #appending = new AsyncMutex();

  private constructor(
    readonly file: string,
    lines: JournalLine[],
    /** Bytes cut off the end at open: a line torn by a crash (0 when none). */
    readonly tornBytes: number,
    /** True when the file did not exist and was created empty. */
    readonly created: boolean,
  ) {
    this.#lines = lines;
    this.#keyIds = new Set(lines.map((line) => line.entry.keyId));
  }

  /** Reads and verifies the file (creating it, 0600, when missing); throws JournalFileError when broken. */
  static async open(file: string): Promise<DestroyedKeysJournal> {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let text: string;
    let created = false;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await (await open(file, 'a', 0o600)).close();
      text = '';
      created = true;
    }
    let torn = 0;
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      torn = Buffer.byteLength(text.slice(end));
      await truncate(file, Buffer.byteLength(text.slice(0, end)));
      text = text.slice(0, end);
    }
    return new DestroyedKeysJournal(file, verifyLines(file, text), torn, created);
  }

  entries(): DestroyedKeyEntry[] {
    return this.#lines.map((line) => line.entry);
  }

  has(keyId: string): boolean {
    return this.#keyIds.has(keyId);
  }

  /** Appends the entries whose key is not in the file yet (fsynced); returns how many. */
  async append(entries: readonly DestroyedKeyEntry[]): Promise<number> {
    const release = await this.#appending.acquire();
    try {
      const fresh = parseJournal(entries, 'entries to journal').filter((e) => !this.#keyIds.has(e.keyId));
      const unique = [...new Map(fresh.map((e) => [e.keyId, e])).values()];
      if (unique.length === 0) return 0;
      const added: JournalLine[] = [];
      let prev = this.#lines.at(-1)?.hash ?? GENESIS;
      let seq = this.#lines.length;
      for (const entry of unique) {
        seq += 1;
        const hash = lineHash(seq, prev, entry);
        added.push({ seq, entry, prev, hash });
        prev = hash;
      }
      const handle = await open(this.file, 'a', 0o600);
      try {
        await handle.write(added.map((line) => `${JSON.stringify(line)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
      for (const line of added) {
        this.#lines.push(line);
        this.#keyIds.add(line.entry.keyId);
      }
      return added.length;
    } finally {
      release();
    }
  }
}

/** Checks every line of a journal file's text; throws naming the first bad line. */
export function verifyLines(file: string, text: string): JournalLine[] {
  const lines: JournalLine[] = [];
  let prev = GENESIS;
  const raw = text.split('\n').slice(0, -1);
  for (const [index, source] of raw.entries()) {
    const number = index + 1;
    const bad = (why: string) =>
      new JournalFileError(
        `The destroyed-keys journal ${file} is broken at line ${number}: ${why}. It must not be edited; ` +
          'restore it from its own copy (never from the database backup) — see docs/operations.md, "Restoring a key backup".',
      );
    let parsed: Partial<JournalLine>;
    try {
      parsed = JSON.parse(source) as Partial<JournalLine>;
    } catch {
      throw bad('not JSON');
    }
    let entry: DestroyedKeyEntry;
    try {
      [entry] = parseJournal([parsed.entry]) as [DestroyedKeyEntry];
    } catch {
      throw bad('the entry is malformed');
    }
    if (parsed.seq !== number) throw bad(`seq ${String(parsed.seq)} where ${number} was expected`);
    if (parsed.prev !== prev) throw bad('it does not chain to the line before (a line was removed or moved)');
    const hash = lineHash(number, prev, entry);
    if (parsed.hash !== hash) throw bad('its hash does not match its content (the line was edited)');
    lines.push({ seq: number, entry, prev, hash });
    prev = hash;
  }
  return lines;
}
