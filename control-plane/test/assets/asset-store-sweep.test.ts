// The start-up sweep of `*.partial` files on a real filesystem: crash leftovers go, a write
// still running in this process and a file its caller claims (a resumable upload) stay.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssetStore } from '../../src/assets/asset-store.ts';

let dir: string;
let store: AssetStore;
let project: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-sweep-'));
  store = new AssetStore(dir);
  project = join(store.root, 'tenant1', 'project1');
  await mkdir(project, { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const partials = async () => (await readdir(project)).filter((name) => name.endsWith('.partial')).sort();

describe('AssetStore.sweepPartials', () => {
  it('removes crash leftovers and counts them; keeps assets and claimed files', async () => {
    await writeFile(join(project, 'asset1'), 'a stored asset');
    await writeFile(join(project, 'asset2.a1b2c3d4e5f6.partial'), 'left by a crash');
    await mkdir(join(store.root, 'tenant2', 'project9'), { recursive: true });
    await writeFile(join(store.root, 'tenant2', 'project9', 'x.000000000000.partial'), 'another');
    await writeFile(join(project, 'upload7.upload.partial'), 'a resumable upload');
    const removed = await store.sweepPartials((name) => name === 'upload7.upload.partial');
    expect(removed).toBe(2);
    expect(await partials()).toEqual(['upload7.upload.partial']);
    expect(await readdir(project)).toContain('asset1');
    expect(await store.sweepPartials()).toBe(1);
  });

  it('never removes the temporary file of a write still running', async () => {
    const source = new PassThrough();
    const writing = store.write('tenant1/project1/asset3', source, []);
    source.write(randomBytes(1024));
    await expect.poll(partials).toHaveLength(1);
    expect(await store.sweepPartials()).toBe(0);
    source.end(randomBytes(10));
    await expect(writing).resolves.toMatchObject({ sizeBytes: 1034 });
    expect(await partials()).toEqual([]);
    expect(await readdir(project)).toEqual(['asset3']);
  });

  it('is a no-op when the store has no files yet', async () => {
    await expect(new AssetStore(join(dir, 'fresh')).sweepPartials()).resolves.toBe(0);
  });
});
