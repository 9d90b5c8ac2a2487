// Agent start-up as the runtime does it, on this machine.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger, startNodeRuntime, stepRegistry } from '../src/index.ts';

describe('startNodeRuntime', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'enclave-runtime-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('wipes scratch left by a crash, verifies models, and registers this CPU-only node honestly', async () => {
    const root = join(base, 'scratch');
    await mkdir(join(root, 'task-from-before-the-crash', 'files'), { recursive: true });
    await writeFile(join(root, 'task-from-before-the-crash', 'files', 'script.txt'), 'client text');
    const logger = memoryLogger();
    const runtime = await startNodeRuntime({ scratchRoot: root, logger });
    expect(await readdir(root)).toEqual([]);
    expect(logger.records.map((r) => r.event)).toEqual(['scratch.leftovers-wiped', 'node-runtime.started']);
    expect(logger.records[1]?.fields).toMatchObject({ gpus: 0, networkIsolated: true, modelFiles: 4 });
    expect(runtime.hardware.gpus).toEqual([]);
    // No shipped step is GPU-only, so a CPU-only node offers all of them.
    expect(runtime.steps).toEqual(stepRegistry.names);
    const task = await runtime.openTask('task-9');
    await task.files.write('script', 'text/plain', 'x');
    await task.wipe();
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses to start when steps cannot be network-isolated and the operator did not allow it', async () => {
    await expect(
      startNodeRuntime({ scratchRoot: join(base, 'scratch2'), unsharePath: '/nonexistent/unshare' }),
    ).rejects.toThrow(/REFUSING TO RUN STEPS/);
  });
});
