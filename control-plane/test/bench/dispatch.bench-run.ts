// The measuring half of `bench/dispatch.ts`, run by vitest (bench/vitest.dispatch.config.ts); not
// a test (the package's vitest config runs only *.test.ts files):
// vitest compiles the control plane's decorators and its global setup provides the broker.
// Writes its figures as JSON to $BENCH_DISPATCH_OUT for bench/dispatch.ts to print.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { it } from 'vitest';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { rawKafkaLoop } from './dispatch-baseline.ts';
import { enclaveDispatch, type EnclaveFigures } from './dispatch-enclave.ts';
import { peakRssMib } from './dispatch-stats.ts';

const env = process.env;
const JOBS = Number(env['BENCH_DISPATCH_JOBS'] ?? 200);
const CONCURRENCY = Number(env['BENCH_DISPATCH_CONCURRENCY'] ?? 16);
const NODES = (env['BENCH_DISPATCH_NODES'] ?? '1,10,100').split(',').map(Number);

/**
 * BENCH_DISPATCH_CPU_PROFILE=<file>: a V8 CPU profile of this worker (control plane, agents and
 * baseline clients) over the whole run; `node --cpu-prof` cannot, as vitest kills its workers.
 */
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const file = env['BENCH_DISPATCH_CPU_PROFILE'];
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

it('dispatch benchmark', async () => {
  const stopProfile = await startProfile();
  const dir = await mkdtemp(join(tmpdir(), 'enclave-bench-dispatch-'));
  try {
    const kafka = controlPlaneKafka('bench-dispatch');
    const baselines = [];
    const enclave: EnclaveFigures[] = [];
    const failures: { nodes: number; error: string }[] = [];
    for (const nodes of NODES) {
      // The baseline right before each node count, so both see the same machine load.
      const baseline = await rawKafkaLoop(kafka, JOBS, CONCURRENCY);
      try {
        enclave.push(await enclaveDispatch(dir, nodes, JOBS, CONCURRENCY));
        baselines.push(baseline);
      } catch (error) {
        // Reported, not fatal: the other node counts still give their figures.
        failures.push({ nodes, error: String(error) });
        console.error(`[bench] ${nodes} nodes failed: ${String(error)}`);
      }
    }
    const out = {
      jobs: JOBS,
      concurrency: CONCURRENCY,
      baselines,
      enclave,
      failures,
      peakRssMib: peakRssMib(),
    };
    const file = env['BENCH_DISPATCH_OUT'];
    if (file) await writeFile(file, JSON.stringify(out));
    else console.log(JSON.stringify(out));
  } finally {
    await stopProfile?.();
    await rm(dir, { recursive: true, force: true });
  }
}, 600_000);
