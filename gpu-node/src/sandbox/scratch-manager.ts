// Per-task scratch space under one root (on a node, the LUKS2 scratch volume). Every task gets
// a private directory (0700) that its step processes use as cwd, HOME and TMPDIR; it is wiped
// after the task, and whatever a crash left behind is wiped when the agent starts. The manager
// only ever deletes inside its root: a task id is validated and the resolved path re-checked.
import { mkdir, readdir, rm, statfs } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EntityIdSchema } from '@enclave/contracts';

export interface TaskScratch {
  readonly taskId: string;
  /** The task's private directory: cwd, HOME and TMPDIR of its step processes. */
  readonly dir: string;
  /** Named task files (inputs, sealed text, step outputs); see TaskFiles. */
  readonly filesDir: string;
  readonly tmpDir: string;
}

export class ScratchPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScratchPathError';
  }
}

export class ScratchManager {
  readonly root: string;

  constructor(root: string) {
    if (!isAbsolute(root) || resolve(root) === sep) {
      throw new ScratchPathError('the scratch root must be an absolute path other than /');
    }
    this.root = resolve(root);
  }

  /** Creates the root if needed (0700). */
  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  /** A fresh, empty directory for the task; a leftover from an earlier epoch is wiped first. */
  async create(taskId: string): Promise<TaskScratch> {
    const scratch = this.layout(taskId);
    await this.init();
    await rm(scratch.dir, { recursive: true, force: true });
    await mkdir(scratch.dir, { mode: 0o700 });
    await mkdir(scratch.filesDir, { mode: 0o700 });
    await mkdir(scratch.tmpDir, { mode: 0o700 });
    return scratch;
  }

  layout(taskId: string): TaskScratch {
    if (!EntityIdSchema.safeParse(taskId).success) {
      throw new ScratchPathError('a task id must be 1-64 letters, digits, "_" or "-"');
    }
    const dir = this.inside(join(this.root, taskId));
    return { taskId, dir, filesDir: join(dir, 'files'), tmpDir: join(dir, 'tmp') };
  }

  async wipe(taskId: string): Promise<void> {
    await rm(this.layout(taskId).dir, { recursive: true, force: true });
  }

  /** At agent start: nothing in the root belongs to a live task, so all of it goes. */
  async wipeLeftovers(): Promise<number> {
    await this.init();
    const entries = await readdir(this.root);
    for (const entry of entries)
      await rm(this.inside(join(this.root, entry)), { recursive: true, force: true });
    return entries.length;
  }

  /** Free space on the scratch volume, for heartbeats. */
  async freeMb(): Promise<number> {
    await this.init();
    const stats = await statfs(this.root);
    return Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
  }

  /** Refuses any path that does not resolve to a strict descendant of the root. */
  private inside(path: string): string {
    const resolved = resolve(path);
    const rel = relative(this.root, resolved);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new ScratchPathError('refusing a path outside the scratch root');
    }
    return resolved;
  }
}
