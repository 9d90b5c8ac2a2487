// The benches that need a real broker and the control plane in a test harness run their
// measurement inside vitest (the harness's global setup starts the broker); the worker writes
// its figures to a JSON file that the bench script then reads and reports.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/**
 * Runs `bench/<config>` with the output path in `outVariable` and a libuv pool of `threadPool`
 * threads (node-rdkafka runs connects and blocking calls there), and returns the parsed figures.
 * Exits the process when vitest fails.
 */
export async function measureInVitest<T>(
  config: string,
  outVariable: string,
  threadPool: string,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'enclave-bench-out-'));
  const out = join(dir, 'figures.json');
  const vitest = spawnSync('npx', ['vitest', 'run', '--config', `bench/${config}`], {
    cwd: root,
    env: {
      ...process.env,
      [outVariable]: out,
      UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE'] ?? threadPool,
    },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (vitest.status !== 0) {
    console.error(`vitest exited with ${vitest.status ?? vitest.signal}`);
    process.exit(1);
  }
  const figures = JSON.parse(await readFile(out, 'utf8')) as T;
  await rm(dir, { recursive: true, force: true });
  return figures;
}

/** The machine a figure was measured on, for the head of every bench's JSON line. */
export function machineFigures(loadBefore: number): Record<string, unknown> {
  return {
    cpu: cpus()[0]
      ?.model.replace(/\s+\d+-Core.*$/, '')
      .trim(),
    cores: cpus().length,
    load_avg_1m: Math.round(loadBefore * 100) / 100,
    node: process.version,
  };
}
