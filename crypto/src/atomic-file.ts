// Files this package writes (encrypted objects, decrypted copies, the JSON key store) appear
// whole or not at all: written to a temp file beside the target, fsynced, renamed over it, the
// directory fsynced. A failure removes the temp file, so no half-written object and no partial
// plaintext is ever left behind.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Creates an owner-chosen-mode temp file beside `path`, lets `write` fill it (by path, so a
 * stream can own and close its descriptor), fsyncs it and renames it over `path`.
 */
export async function writeThroughTemp(
  path: string,
  mode: number,
  write: (tempPath: string) => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const created = await open(temp, 'wx', mode);
  try {
    await created.chmod(mode); // open()'s mode is filtered by the umask
  } finally {
    await created.close();
  }
  try {
    await write(temp);
    // fsync through a fresh descriptor: it flushes the file's data whoever wrote it.
    const written = await open(temp, 'r+');
    try {
      await written.sync();
    } finally {
      await written.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
  await writeThroughTemp(path, mode, (temp) => writeFile(temp, data));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates a file that must not exist yet (a key file), fsynced with its directory. */
export async function createFileExclusive(path: string, data: Buffer, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(path));
}
