// Asset files on disk: `$ENCLAVE_DATA_DIR/assets/<tenant>/<project>/<assetId>`, each one the
// enclave stream format under the project's DEK (docs/encryption-format.md). Only ciphertext is
// ever written: a file is written under a temporary name and renamed into place once the whole
// stream succeeded, so a failed or refused upload leaves nothing behind. Directories are 0700,
// files 0600.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sha256Meter } from './byte-streams.ts';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Temporary names end so; a start-up sweep or an operator can spot leftovers of a crash. */
export const PARTIAL_SUFFIX = '.partial';

export interface StoredObject {
  readonly sizeBytes: number;
  readonly sha256: string;
}

export class AssetStore {
  readonly root: string;
  /** Temporary files of writes still running: the sweep never removes these. */
  readonly #writing = new Set<string>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'assets');
  }

  /** The storage key of an asset: ids only (EntityIds), so it can never leave the root. */
  storageKey(tenantId: string, projectId: string, assetId: string): string {
    for (const segment of [tenantId, projectId, assetId]) {
      if (!SAFE_SEGMENT.test(segment))
        throw new Error(`Unsafe storage key segment ${JSON.stringify(segment)}.`);
    }
    return `${tenantId}/${projectId}/${assetId}`;
  }

  pathOf(storageKey: string): string {
    const parts = storageKey.split('/');
    if (parts.length !== 3 || !parts.every((p) => SAFE_SEGMENT.test(p))) {
      throw new Error(`Malformed storage key ${JSON.stringify(storageKey)}.`);
    }
    return join(this.root, ...parts);
  }

  /**
   * Streams `source` through `stages` (which must turn it into ciphertext, or check it) into the
   * file of `storageKey`. Resolves with the size and SHA-256 of what was stored; on any failure
   * the temporary file is removed and the error rethrown.
   */
  async write(storageKey: string, source: Readable, stages: readonly Transform[]): Promise<StoredObject> {
    const final = this.pathOf(storageKey);
    await mkdir(dirname(final), { recursive: true, mode: 0o700 });
    const temp = `${final}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
    const meter = new Sha256Meter();
    this.#writing.add(temp);
    try {
      await pipeline([source, ...stages, meter, createWriteStream(temp, { flags: 'wx', mode: 0o600 })]);
      await fsync(temp);
      await rename(temp, final);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    } finally {
      this.#writing.delete(temp);
    }
    return { sizeBytes: meter.bytes, sha256: meter.sha256 };
  }

  /** Opens the file first, so a missing one fails before any reply has started. */
  async open(storageKey: string): Promise<ReadStream> {
    const handle = await open(this.pathOf(storageKey), 'r');
    return handle.createReadStream();
  }

  /**
   * Removes the `*.partial` files a crash mid-write left under the root — never those of a write
   * running in this process, nor those `keep` claims (a resumable upload's file, by its name);
   * returns how many went. Run at start-up, before uploads are taken.
   */
  async sweepPartials(keep: (name: string) => boolean = () => false): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (
          entry.isFile() &&
          entry.name.endsWith(PARTIAL_SUFFIX) &&
          !this.#writing.has(path) &&
          !keep(entry.name)
        ) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
    };
    await walk(this.root);
    return removed;
  }

  async remove(storageKey: string): Promise<void> {
    await rm(this.pathOf(storageKey), { force: true });
  }

  /** Deletes every file of a project (crypto-shredding already made them unreadable). */
  async removeProject(tenantId: string, projectId: string): Promise<void> {
    if (!SAFE_SEGMENT.test(tenantId) || !SAFE_SEGMENT.test(projectId))
      throw new Error('Unsafe project path.');
    await rm(join(this.root, tenantId, projectId), { recursive: true, force: true });
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
