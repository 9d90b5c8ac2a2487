// Named files of one task in its scratch directory: `files/<name>.<ext>`. The agent puts inputs
// (asset refs by name) and decrypted sealed text (by field name, as text/plain) here; steps
// read and write by name. Names follow the wire's FieldName rule (no dots, no slashes), so a
// name can never climb out of the directory and `<name>.<ext>` is unambiguous.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FieldNameSchema, TaskFailureCode } from '@enclave/contracts';
import { hardError } from './step-error.ts';
import { MEDIA_EXTENSIONS, mediaTypeOfExtension, type MediaType } from './media-types.ts';

export interface TaskFile {
  readonly name: string;
  readonly path: string;
  readonly mediaType: MediaType;
}

function checkName(name: string): string {
  if (!FieldNameSchema.safeParse(name).success) {
    throw hardError(TaskFailureCode.INVALID_PARAMS, 'a task file name must be a field name');
  }
  return name;
}

export class TaskFiles {
  readonly dir: string;
  readonly tmpDir: string;

  constructor(dir: string, tmpDir: string) {
    this.dir = dir;
    this.tmpDir = tmpDir;
  }

  async list(): Promise<TaskFile[]> {
    const files: TaskFile[] = [];
    for (const entry of await readdir(this.dir)) {
      const dot = entry.indexOf('.');
      const name = entry.slice(0, dot);
      const mediaType = dot > 0 ? mediaTypeOfExtension(entry.slice(dot + 1)) : undefined;
      if (mediaType !== undefined && FieldNameSchema.safeParse(name).success) {
        files.push({ name, path: join(this.dir, entry), mediaType });
      }
    }
    return files;
  }

  async find(name: string): Promise<TaskFile | undefined> {
    checkName(name);
    return (await this.list()).find((file) => file.name === name);
  }

  /** An input a step cannot do without: missing is a hard failure (the task is malformed). */
  async require(name: string): Promise<TaskFile> {
    const file = await this.find(name);
    if (file === undefined)
      throw hardError(TaskFailureCode.INPUT_UNAVAILABLE, `task file "${name}" is missing`);
    return file;
  }

  pathFor(name: string, mediaType: MediaType): string {
    return join(this.dir, `${checkName(name)}.${MEDIA_EXTENSIONS[mediaType]}`);
  }

  /** A fresh path in the task's tmp directory (same volume, so `commit` is an atomic rename). */
  tempPathFor(name: string, mediaType: MediaType): string {
    return join(this.tmpDir, `${checkName(name)}-${randomUUID()}.${MEDIA_EXTENSIONS[mediaType]}`);
  }

  /** Publishes a finished temp file under `name`, replacing any earlier file of that name. */
  async commit(tempPath: string, name: string, mediaType: MediaType): Promise<TaskFile> {
    const path = this.pathFor(name, mediaType);
    for (const old of await this.list()) if (old.name === name && old.path !== path) await rm(old.path);
    await rename(tempPath, path);
    return { name, path, mediaType };
  }

  async write(name: string, mediaType: MediaType, data: string | Uint8Array): Promise<TaskFile> {
    const temp = this.tempPathFor(name, mediaType);
    await writeFile(temp, data, { mode: 0o600 });
    return this.commit(temp, name, mediaType);
  }

  /** Whether a tool wrote `path` (ffmpeg can exit 0 having written nothing). */
  async exists(path: string): Promise<boolean> {
    return stat(path).then(
      () => true,
      () => false,
    );
  }

  /** Removes temp files a step made (missing ones are fine). */
  async discard(...paths: readonly string[]): Promise<void> {
    for (const path of paths) await rm(path, { force: true });
  }

  async readText(name: string): Promise<string> {
    return readFile((await this.require(name)).path, 'utf8');
  }

  async sizeBytes(file: TaskFile): Promise<number> {
    return (await stat(file.path)).size;
  }
}
