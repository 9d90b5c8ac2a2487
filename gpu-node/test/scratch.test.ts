// Scratch space on a real filesystem: private per-task directories, wiped after the task and at
// start, and never a path outside the root.
import { mkdtemp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScratchManager, ScratchPathError, StepError, TaskFiles } from '../src/index.ts';

describe('ScratchManager', () => {
  let base: string;
  let scratch: ScratchManager;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'enclave-scratch-'));
    scratch = new ScratchManager(join(base, 'root'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('creates a private directory per task, with files/ and tmp/', async () => {
    const task = await scratch.create('task-1');
    expect(task.dir).toBe(join(base, 'root', 'task-1'));
    expect((await stat(task.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(base, 'root'))).mode & 0o777).toBe(0o700);
    expect((await readdir(task.dir)).sort()).toEqual(['files', 'tmp']);
  });

  it('starts a re-assigned task from empty, and wipes it afterwards', async () => {
    const task = await scratch.create('task-1');
    await writeFile(join(task.filesDir, 'old.txt'), 'left from epoch 1');
    await scratch.create('task-1');
    expect(await readdir(task.filesDir)).toEqual([]);
    await scratch.wipe('task-1');
    expect(await readdir(join(base, 'root'))).toEqual([]);
  });

  it('wipes every leftover at start', async () => {
    await scratch.create('a');
    await scratch.create('b');
    await mkdir(join(base, 'root', 'stray'));
    expect(await scratch.wipeLeftovers()).toBe(3);
    expect(await readdir(join(base, 'root'))).toEqual([]);
  });

  it('refuses task ids that would leave the root, and a root of /', () => {
    for (const id of ['..', '../etc', 'a/b', '', '.hidden'])
      expect(() => scratch.layout(id)).toThrow(ScratchPathError);
    expect(() => new ScratchManager('/')).toThrow(ScratchPathError);
    expect(() => new ScratchManager('relative/dir')).toThrow(ScratchPathError);
  });

  it('reports free space for heartbeats', async () => {
    expect(await scratch.freeMb()).toBeGreaterThan(0);
  });
});

describe('TaskFiles', () => {
  let base: string;
  let files: TaskFiles;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'enclave-files-'));
    await mkdir(join(base, 'files'));
    await mkdir(join(base, 'tmp'));
    files = new TaskFiles(join(base, 'files'), join(base, 'tmp'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('stores files by name with their media type, replacing an earlier one of the same name', async () => {
    await files.write('script', 'text/plain', 'Hello.');
    await files.write('still', 'image/png', 'png');
    await files.write('still', 'image/jpeg', 'jpeg');
    expect((await files.list()).map((f) => [f.name, f.mediaType]).sort()).toEqual([
      ['script', 'text/plain'],
      ['still', 'image/jpeg'],
    ]);
    expect(await files.readText('script')).toBe('Hello.');
    expect(await readdir(join(base, 'tmp'))).toEqual([]);
  });

  it('fails a missing input hard, and refuses names that are not field names', async () => {
    await expect(files.require('voiceover')).rejects.toMatchObject({
      code: 'INPUT_UNAVAILABLE',
      failure: 'hard',
    });
    expect(() => files.pathFor('../escape', 'text/plain')).toThrow(StepError);
  });
});
