// Cross-process mutual exclusion for the file-backed stores: the CLI and a running control plane
// may touch the same CA directory, and "consume a token" or "append to a hash chain" are
// read-modify-write. A lock file created with O_EXCL is enough on a local disk; a lock older
// than `staleMs` is taken to be left over by a crashed process and broken.
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CertsError } from './certs-error.ts';

export interface FileLockOptions {
  readonly timeoutMs?: number;
  readonly staleMs?: number;
}

// Within one process, a promise chain per path keeps callers in order without spinning on the file.
const inProcess = new Map<string, Promise<unknown>>();

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const previous = inProcess.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => lockedRun(lockPath, fn, options));
  inProcess.set(lockPath, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(lockPath) === run) inProcess.delete(lockPath);
  }
}

async function lockedRun<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await lockAge(lockPath);
      if (age !== undefined && age > staleMs) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new CertsError(
          'STORE_LOCKED',
          `The CA store is locked by another process (${lockPath}); try again.`,
        );
      }
      await sleep(delay);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function lockAge(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}
