// A "host" that is a directory: `/etc/x` is `<root>/etc/x`. Commands run with `/bin/sh` in the
// root with `<root>/bin` first on PATH, so tests put recording stand-ins for systemctl or
// cryptsetup there and never touch the real machine. Ownership is not applied (the users named
// in unit files do not exist on the test machine); modes are.
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CommandResult, HostExecutor, PutFileOptions } from './host-executor.ts';
import { spawnCapture } from './spawn-capture.ts';

export class LocalExecutor implements HostExecutor {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  hostPath(path: string): string {
    if (!path.startsWith('/')) throw new Error(`host paths are absolute: ${path}`);
    const resolved = normalize(join(this.root, path));
    if (resolved !== this.root && !resolved.startsWith(this.root + '/')) {
      throw new Error(`path escapes the host root: ${path}`);
    }
    return resolved;
  }

  run(command: string, options: { stdin?: string } = {}): Promise<CommandResult> {
    return spawnCapture('/bin/sh', ['-c', command], {
      cwd: this.root,
      env: {
        ...process.env,
        PATH: `${join(this.root, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOST_ROOT: this.root,
      },
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
  }

  async putFile(path: string, content: string, options: PutFileOptions): Promise<void> {
    const target = this.hostPath(path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    // Created with the final mode (no window where a secret is world-readable).
    const handle = await open(temporary, 'wx', options.mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, options.mode);
    await rename(temporary, target);
  }

  async readFile(path: string): Promise<string | null> {
    try {
      return await readFile(this.hostPath(path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async removeFile(path: string): Promise<void> {
    await rm(this.hostPath(path), { force: true });
  }
}
