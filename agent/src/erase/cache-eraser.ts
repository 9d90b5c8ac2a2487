// Finds and deletes the cached input ciphertext held under given keys. Which project a cache
// entry belongs to is written in the entry itself: every file of the enclave stream format
// names its key id in the header (crypto's `readFileHeader`, no key needed), and an erase order
// names exactly those key ids. So no side index can drift from the files it describes, and
// entries cached by an agent version that kept no record are found too.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileHeader } from '@enclave/crypto';

export interface KeyTally {
  files: number;
  bytes: number;
  /** Paths that matched but could not be deleted. */
  failed: string[];
}

export interface CacheScan {
  perKey: Map<string, KeyTally>;
  /** Files whose header does not parse (e.g. a download cut short): owner unknown, left alone. */
  unreadable: string[];
}

export function emptyTally(): KeyTally {
  return { files: 0, bytes: 0, failed: [] };
}

export async function eraseCacheEntries(cacheDir: string, keyIds: ReadonlySet<string>): Promise<CacheScan> {
  const perKey = new Map<string, KeyTally>();
  const unreadable: string[] = [];
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { perKey, unreadable };
    throw error;
  }
  for (const name of names.sort()) {
    const path = join(cacheDir, name);
    let keyId: string;
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      size = info.size;
      keyId = (await readFileHeader(path)).keyId;
    } catch {
      unreadable.push(name);
      continue;
    }
    if (!keyIds.has(keyId)) continue;
    const tally = perKey.get(keyId) ?? emptyTally();
    perKey.set(keyId, tally);
    try {
      await rm(path);
      tally.files += 1;
      tally.bytes += size;
    } catch {
      tally.failed.push(path);
    }
  }
  return { perKey, unreadable };
}

/** Counts the files and bytes under `dir` (a task's scratch), 0 when it does not exist. */
export async function tallyTree(dir: string): Promise<{ files: number; bytes: number }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return { files: 0, bytes: 0 };
  }
  let files = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    try {
      bytes += (await stat(join(entry.parentPath, entry.name))).size;
      files += 1;
    } catch {
      // Deleted meanwhile by the task's own wipe: nothing left to count.
    }
  }
  return { files, bytes };
}
