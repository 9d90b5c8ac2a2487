// The synthetic farm for the scheduler benchmark: 1,000 nodes (GPU boxes of three sizes and
// CPU-only encoders, a few dedicated to one tenant) and 100,000 tasks across 20 tenants, in
// jobs of 1-8 tasks, some with deps. Seeded, so every run and both implementations see the
// same data.
import type { JobSubmission, NodeSpec, TaskSpec } from '../control-plane/src/scheduler/index.ts';

export const TENANT_COUNT = 20;

/** mulberry32: small, fast, good enough to spread a benchmark's choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  readonly nodes: readonly NodeSpec[];
  readonly jobs: readonly JobSubmission[];
  readonly taskCount: number;
}

function gpus(count: number, vramMb: number) {
  return Array.from({ length: count }, (_, index) => ({ index, model: `sim-${vramMb / 1000}g`, vramMb }));
}

export function buildDataset(nodeCount = 1_000, taskTarget = 100_000, seed = 42): Dataset {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const kind = i % 10;
    const id = `node-${String(i).padStart(4, '0')}`;
    const capabilities =
      kind < 3
        ? { gpus: gpus(8, 80_000), cpuSlots: 64, tags: i % 2 === 0 ? ['nvenc'] : [] }
        : kind < 6
          ? { gpus: gpus(4, 24_000), cpuSlots: 32, tags: ['nvenc'] }
          : kind < 7
            ? { gpus: gpus(2, 48_000), cpuSlots: 32, tags: ['zone:b'] }
            : { gpus: [], cpuSlots: 64, tags: [] };
    // 2% of nodes belong to one of two tenants.
    const dedicated = i % 50 === 7 ? `tenant-${i % 100 === 7 ? '00' : '01'}` : undefined;
    nodes.push(
      dedicated === undefined ? { id, capabilities } : { id, capabilities, dedicatedTenant: dedicated },
    );
  }
  const jobs: JobSubmission[] = [];
  let taskCount = 0;
  for (let j = 0; taskCount < taskTarget; j++) {
    const size = Math.min(1 + Math.floor(random() * 8), taskTarget - taskCount);
    const chained = random() < 0.3;
    const jobId = `job-${j}`;
    const tasks: TaskSpec[] = [];
    for (let t = 0; t < size; t++) {
      const roll = random();
      const requirements =
        roll < 0.55
          ? {
              gpus: pick([1, 1, 1, 2]),
              minVramMb: pick([8_000, 16_000, 24_000, 40_000]),
              cpuSlots: pick([2, 4]),
            }
          : roll < 0.65
            ? { gpus: 1, minVramMb: 8_000, cpuSlots: 2, cpuCapable: true }
            : roll < 0.7
              ? { gpus: 1, minVramMb: 16_000, cpuSlots: 2, tags: [pick(['nvenc', 'zone:b'])] }
              : { cpuSlots: pick([1, 2, 4, 8]) };
      tasks.push({
        taskId: `${jobId}-t${t}`,
        requirements,
        deps: chained && t > 0 ? [`${jobId}-t${t - 1}`] : [],
      });
    }
    jobs.push({
      jobId,
      tenantId: `tenant-${String(Math.floor(random() * TENANT_COUNT)).padStart(2, '0')}`,
      priority: Math.floor(random() * 101),
      idempotencyKey: `bench-${j}`,
      tasks,
    });
    taskCount += size;
  }
  return { nodes, jobs, taskCount };
}
