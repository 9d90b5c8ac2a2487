// The ciphertext of an unfinished resumable upload on disk, next to the project's assets:
// `$ENCLAVE_DATA_DIR/assets/<tenant>/<project>/<uploadId>.upload.partial` (0600, directory
// 0700). Beside the project's files so erasing the project removes it with them. Positional
// reads and writes only: a piece is written where its chunks belong, never appended blindly.
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PARTIAL_SUFFIX } from './asset-store.ts';

export const UPLOAD_PARTIAL_SUFFIX = `.upload${PARTIAL_SUFFIX}`;

export class PartialFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** A new file holding `header`, synced to disk; fails if it already exists. */
  static async create(path: string, header: Buffer): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.write(header, 0, header.length, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  static async open(path: string): Promise<PartialFile> {
    return new PartialFile(path, await open(path, 'r+'));
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }

  async write(bytes: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, position + done);
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

export async function moveFile(from: string, to: string): Promise<void> {
  await rename(from, to);
}
